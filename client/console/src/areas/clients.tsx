import { Link, useParams } from 'wouter';
import { CLIENT_STATUSES } from '../../../../shared/statuses.ts';
import { api, useApiQuery } from '../api.ts';
import { Field, SelectField } from '../ui/form.tsx';
import { Badge, Time } from '../ui/format.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';
import { ChannelTable } from './channels.tsx';
import { anyOf, FilterForm, filterInput, useFilters } from './clients-filters.tsx';
import { PagedView, usePagedList } from './clients-paging.tsx';
import './clients.css';

const PAGE = 25;

/** The partner's clients: search by name or external id, the list's filters, and keyset pages. */
export function ClientsPage() {
  const filters = useFilters({ q: '', status: '', external_id: '', created_after: '', created_before: '' });
  const input = filterInput(filters.applied, ['created_after', 'created_before']);
  const clients = usePagedList(['clients.list', 'paged', input], (cursor) =>
    api.clients.list.query({ ...input, limit: PAGE, cursor }),
  );
  const filtered = Object.keys(input).length > 0;
  return (
    <Page title="Clients">
      <p className="lead">
        The businesses that signed up through you. Search finds a client by the start of its name or of your
        external id for it.
      </p>
      <FilterForm label="Filter clients" onApply={filters.apply} onClear={filters.clear}>
        <Field
          label="Search"
          type="search"
          value={filters.draft.q}
          onChange={(e) => filters.set('q')(e.target.value)}
          placeholder="Name or external id"
        />
        <SelectField
          label="Status"
          value={filters.draft.status!}
          onChange={filters.set('status')}
          options={anyOf(CLIENT_STATUSES)}
        />
        <Field
          label="External id (exact)"
          value={filters.draft.external_id}
          onChange={(e) => filters.set('external_id')(e.target.value)}
        />
        <Field
          label="Created from"
          type="date"
          value={filters.draft.created_after}
          onChange={(e) => filters.set('created_after')(e.target.value)}
        />
        <Field
          label="Created before"
          type="date"
          value={filters.draft.created_before}
          onChange={(e) => filters.set('created_before')(e.target.value)}
        />
      </FilterForm>
      <Section title="Clients">
        <PagedView query={clients} itemsOf={(p) => p.clients} noun={['client', 'clients']}>
          {(items) =>
            items.length === 0 ? (
              <EmptyState title={filtered ? 'No client matches' : 'No clients yet'}>
                <p>
                  {filtered
                    ? 'Try a shorter search or clear the filters.'
                    : 'Clients appear when a business completes an onboarding link.'}
                </p>
              </EmptyState>
            ) : (
              <table className="table">
                <caption className="visually-hidden">Clients, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">External id</th>
                    <th scope="col">Status</th>
                    <th scope="col">Payment</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link href={`/clients/${c.id}`}>{c.name ?? c.id}</Link>
                      </td>
                      <td>
                        {c.external_id ? <code>{c.external_id}</code> : <span className="muted">—</span>}
                      </td>
                      <td>
                        <Badge value={c.status} />
                        {c.billing_status !== 'ok' ? <Badge value={c.billing_status} /> : null}
                      </td>
                      <td>{c.payment_model === 'direct' ? 'Direct' : 'Partner'}</td>
                      <td>
                        <Time value={c.created_at} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </PagedView>
      </Section>
    </Page>
  );
}

/** One client: what the hub knows of it, and its numbers you hold. */
export function ClientPage() {
  const { id } = useParams<{ id: string }>();
  const client = useApiQuery(['clients.get', id], () => api.clients.get.query({ client_id: id }));
  return (
    <Page title={client.data ? (client.data.name ?? client.data.id) : 'Client'}>
      <p>
        <Link href="/clients">← All clients</Link>
      </p>
      <Section title="Client">
        <QueryView query={client}>
          {(c) => (
            <dl className="facts">
              <dt>Client id</dt>
              <dd>
                <code>{c.id}</code>
              </dd>
              <dt>External id</dt>
              <dd>{c.external_id ? <code>{c.external_id}</code> : <span className="muted">—</span>}</dd>
              <dt>Status</dt>
              <dd>
                <Badge value={c.status} />
              </dd>
              <dt>Payment</dt>
              <dd>
                {c.payment_model === 'direct'
                  ? 'Direct Payment (the client pays)'
                  : 'Partner Payment (you pay)'}{' '}
                <Badge value={c.billing_status} />
              </dd>
              <dt>Terms accepted</dt>
              <dd>
                {c.terms_version !== null ? `version ${c.terms_version}, ` : ''}
                <Time value={c.terms_accepted_at} />
              </dd>
              <dt>Your payload</dt>
              <dd>{c.partner_payload ?? <span className="muted">—</span>}</dd>
              <dt>Created</dt>
              <dd>
                <Time value={c.created_at} />
              </dd>
            </dl>
          )}
        </QueryView>
      </Section>
      <ClientNumbers clientId={id} />
    </Page>
  );
}

function ClientNumbers({ clientId }: { clientId: string }) {
  const channels = usePagedList(['channels.list', 'paged', { client_id: clientId }], (cursor) =>
    api.channels.list.query({ client_id: clientId, limit: PAGE, cursor }),
  );
  return (
    <Section title="Numbers">
      <PagedView query={channels} itemsOf={(p) => p.channels} noun={['number', 'numbers']}>
        {(items) =>
          items.length === 0 ? (
            <EmptyState title="No numbers granted">
              <p>This client grants you none of its numbers at the moment.</p>
            </EmptyState>
          ) : (
            <ChannelTable channels={items} caption="The client's numbers you hold" showClient={false} />
          )
        }
      </PagedView>
    </Section>
  );
}
