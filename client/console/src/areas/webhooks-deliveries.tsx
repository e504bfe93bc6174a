import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api.ts';
import { useCan } from '../session.tsx';
import { Button, Field, SelectField } from '../ui/form.tsx';
import { Badge, Time } from '../ui/format.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';
import {
  DELIVERIES_KEY,
  type Delivery,
  type Endpoint,
  endpointLabel,
  isoFromLocal,
  useEndpoints,
} from './webhooks-common.tsx';
import { useEventTypes } from './webhooks-event-types.tsx';
import { RecoverForm } from './webhooks-recover.tsx';
import { ResendButton } from './webhooks-resend.tsx';
import './webhooks.css';

const PAGE_SIZE = 25;
const STATUSES = ['pending', 'succeeded', 'failed'] as const;

interface Filters {
  event_type: string;
  status: '' | (typeof STATUSES)[number];
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { event_type: '', status: '', from: '', to: '' };

/** The delivery log: search by event type, status and time, newest first, a page at a time. */
export function WebhookDeliveriesPage() {
  const endpoints = useEndpoints();
  const eventTypes = useEventTypes();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const set = (field: keyof Filters) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const from = isoFromLocal(draft.from);
  const to = isoFromLocal(draft.to);
  const rangeError = from && to && from >= to ? 'Must be after “From”' : undefined;
  return (
    <Page
      title="Webhook deliveries"
      actions={
        <Link className="button button-secondary" href="/webhooks">
          Endpoints
        </Link>
      }
    >
      <p className="lead">
        One delivery per event and endpoint. Failed deliveries are marked; open one to see every attempt,
        resend it, or recover everything that failed since a time.
      </p>
      <Section title="Search">
        <form
          className="toolbar"
          aria-label="Search deliveries"
          onSubmit={(e) => {
            e.preventDefault();
            if (!rangeError) setFilters(draft);
          }}
        >
          <SelectField
            label="Event type"
            value={draft.event_type}
            onChange={set('event_type')}
            options={[
              ['', 'Any event type'],
              ...(eventTypes.data?.event_types ?? []).map((t) => [t.type, t.type] as const),
            ]}
          />
          <SelectField
            label="Status"
            value={draft.status}
            onChange={set('status')}
            options={[['', 'Any status'], ...STATUSES.map((s) => [s, s] as const)]}
          />
          <Field
            label="From"
            type="datetime-local"
            value={draft.from}
            onChange={(e) => set('from')(e.target.value)}
          />
          <Field
            label="To"
            type="datetime-local"
            value={draft.to}
            error={rangeError}
            onChange={(e) => set('to')(e.target.value)}
          />
          <Button type="submit">Search</Button>
          <Button
            variant="secondary"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
          >
            Clear
          </Button>
        </form>
      </Section>
      <DeliveryList filters={filters} endpoints={endpoints.data?.webhook_endpoints} />
      <RecoverForm endpoints={endpoints.data?.webhook_endpoints ?? []} />
    </Page>
  );
}

function DeliveryList({ filters, endpoints }: { filters: Filters; endpoints: Endpoint[] | undefined }) {
  const can = useCan();
  const input = {
    limit: PAGE_SIZE,
    ...(filters.event_type ? { event_type: filters.event_type } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(isoFromLocal(filters.from) ? { since: isoFromLocal(filters.from) } : {}),
    ...(isoFromLocal(filters.to) ? { until: isoFromLocal(filters.to) } : {}),
  };
  const list = useInfiniteQuery({
    queryKey: [...DELIVERIES_KEY, input],
    queryFn: ({ pageParam }) =>
      api.webhooks.deliveries.list.query({ ...input, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  return (
    <Section title="Deliveries">
      <QueryView query={list} loading="Loading deliveries…">
        {(data) => {
          const rows = data.pages.flatMap((p) => p.deliveries);
          if (rows.length === 0)
            return (
              <EmptyState title="No deliveries match">
                <p>Events appear here once the hub records one for an endpoint; try “Send test” on one.</p>
              </EmptyState>
            );
          return (
            <>
              <table className="table">
                <caption className="visually-hidden">Webhook deliveries, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Endpoint</th>
                    <th scope="col">Status</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Created</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((d) => (
                    <DeliveryRow key={d.id} delivery={d} endpoints={endpoints} canWrite={can.write} />
                  ))}
                </tbody>
              </table>
              <div className="load-more">
                <p role="status" className="muted">
                  Showing {rows.length} {rows.length === 1 ? 'delivery' : 'deliveries'}
                  {list.hasNextPage ? '' : ', all there are'}.
                </p>
                {list.hasNextPage ? (
                  <Button
                    variant="secondary"
                    busy={list.isFetchingNextPage}
                    onClick={() => list.fetchNextPage()}
                  >
                    Load more
                  </Button>
                ) : null}
              </div>
            </>
          );
        }}
      </QueryView>
    </Section>
  );
}

/** Failed rows carry a badge, a tinted row and words; a retrying one says when it goes next. */
function DeliveryRow({
  delivery: d,
  endpoints,
  canWrite,
}: {
  delivery: Delivery;
  endpoints: Endpoint[] | undefined;
  canWrite: boolean;
}) {
  const retrying = d.status === 'pending' && d.attempt_count > 0;
  return (
    <tr className={d.status === 'failed' ? 'row-failing' : retrying ? 'row-retrying' : undefined}>
      <th scope="row">
        <code>{d.event_type}</code>
      </th>
      <td>
        <div className="endpoint-cell">
          <span>{endpointLabel(endpoints, d.endpoint_id)}</span>
          <span className="endpoint-url muted">{d.url}</span>
        </div>
      </td>
      <td>
        <Badge value={retrying ? 'retrying' : d.status} />
        {d.status === 'failed' ? <span className="health-detail">Not delivered</span> : null}
        {retrying ? (
          <span className="health-detail">
            Next try <Time value={d.next_attempt_at} />
          </span>
        ) : null}
      </td>
      <td>{d.attempt_count}</td>
      <td>
        <Time value={d.created_at} />
      </td>
      <td>
        <div className="row-actions">
          <Link
            className="button button-secondary button-small"
            href={`/webhooks/deliveries/${d.id}`}
            aria-label={`Details of the ${d.event_type} delivery ${d.id}`}
          >
            Details
          </Link>
          {canWrite ? <ResendButton delivery={d} /> : null}
        </div>
      </td>
    </tr>
  );
}
