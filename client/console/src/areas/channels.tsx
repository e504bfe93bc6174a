import { Link } from 'wouter';
import { CHANNEL_STATUSES } from '../../../../shared/statuses.ts';
import { api, type Outputs } from '../api.ts';
import { Field, SelectField } from '../ui/form.tsx';
import { Badge, Time } from '../ui/format.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState } from '../ui/states.tsx';
import { anyOf, FilterForm, filterInput, useFilters } from './clients-filters.tsx';
import { PagedView, usePagedList } from './clients-paging.tsx';
import './clients.css';

export type Channel = Outputs['channels']['list']['channels'][number];

/** Meta's quality ratings and messaging limit tiers, as the channel list filters take them. */
export const QUALITY_RATINGS = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'] as const;
export const MESSAGING_LIMITS = ['TIER_250', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED'] as const;

const QUALITY_TONE: Record<string, string> = { GREEN: 'good', YELLOW: 'warn', RED: 'bad' };

export function Quality({ value }: { value: string | null }) {
  if (!value) return <span className="muted">—</span>;
  return <span className={`badge badge-${QUALITY_TONE[value] ?? 'neutral'}`}>{value.toLowerCase()}</span>;
}

export const limitLabel = (limit: string | null) =>
  limit ? limit.replace(/^TIER_/, '').replace('UNLIMITED', 'unlimited') : '—';

/** The numbers your clients grant you, with the list's filters and keyset pages. */
export function ChannelsPage() {
  const filters = useFilters({
    phone_number: '',
    status: '',
    quality_rating: '',
    current_limit: '',
    client_id: '',
  });
  const input = filterInput(filters.applied);
  const channels = usePagedList(['channels.list', 'paged', input], (cursor) =>
    api.channels.list.query({ ...input, limit: 25, cursor }),
  );
  const filtered = Object.keys(input).length > 0;
  return (
    <Page title="Numbers">
      <p className="lead">The WhatsApp numbers your clients currently grant you.</p>
      <FilterForm label="Filter numbers" onApply={filters.apply} onClear={filters.clear}>
        <Field
          label="Phone number"
          inputMode="tel"
          value={filters.draft.phone_number}
          onChange={(e) => filters.set('phone_number')(e.target.value.replaceAll(/[\s()-]/g, ''))}
          placeholder="+15550001234"
        />
        <SelectField
          label="Status"
          value={filters.draft.status!}
          onChange={filters.set('status')}
          options={anyOf(CHANNEL_STATUSES)}
        />
        <SelectField
          label="Quality rating"
          value={filters.draft.quality_rating!}
          onChange={filters.set('quality_rating')}
          options={anyOf(QUALITY_RATINGS)}
        />
        <SelectField
          label="Messaging limit"
          value={filters.draft.current_limit!}
          onChange={filters.set('current_limit')}
          options={[['', 'Any'], ...MESSAGING_LIMITS.map((l) => [l, limitLabel(l)] as [string, string])]}
        />
        <Field
          label="Client id"
          value={filters.draft.client_id}
          onChange={(e) => filters.set('client_id')(e.target.value)}
          placeholder="cli_…"
        />
      </FilterForm>
      <Section title="Numbers">
        <PagedView query={channels} itemsOf={(p) => p.channels} noun={['number', 'numbers']}>
          {(items) =>
            items.length === 0 ? (
              <EmptyState title={filtered ? 'No number matches' : 'No numbers yet'}>
                <p>
                  {filtered
                    ? 'Clear the filters to see every number.'
                    : 'Numbers appear when a client connects one through an onboarding link.'}
                </p>
              </EmptyState>
            ) : (
              <ChannelTable channels={items} caption="Numbers, newest first" showClient />
            )
          }
        </PagedView>
      </Section>
    </Page>
  );
}

export function ChannelTable({
  channels,
  caption,
  showClient,
}: {
  channels: Channel[];
  caption: string;
  showClient: boolean;
}) {
  return (
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Number</th>
          <th scope="col">Name</th>
          <th scope="col">Status</th>
          <th scope="col">Quality</th>
          <th scope="col">Limit</th>
          {showClient ? <th scope="col">Client</th> : null}
          <th scope="col">Connected</th>
        </tr>
      </thead>
      <tbody>
        {channels.map((c) => (
          <tr key={c.id}>
            <td>
              <Link href={`/channels/${c.id}`}>+{c.phone_number}</Link>
            </td>
            <td>{c.verified_name ?? c.display_name ?? <span className="muted">—</span>}</td>
            <td>
              <Badge value={c.status} />
            </td>
            <td>
              <Quality value={c.quality_rating} />
            </td>
            <td>{limitLabel(c.current_limit)}</td>
            {showClient ? (
              <td>
                <Link href={`/clients/${c.client_id}`}>{c.tenant_id ?? c.client_id}</Link>
              </td>
            ) : null}
            <td>
              <Time value={c.created_at} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
