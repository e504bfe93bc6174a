import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { api, useApiQuery } from '../api.ts';
import { Button } from '../ui/form.tsx';
import { Badge, Time } from '../ui/format.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';
import {
  ATTEMPTS_KEY,
  type Attempt,
  DELIVERY_KEY,
  type Delivery,
  endpointLabel,
  useEndpoints,
} from './webhooks-common.tsx';
import { ResendButton } from './webhooks-resend.tsx';
import './webhooks.css';

/** How much of a response body the attempt list shows before "Show all" (the API keeps 4 KiB). */
const EXCERPT_CHARS = 500;

/** One delivery: its state, the event it carries, and every attempt with what was sent and answered. */
export function WebhookDeliveryPage() {
  const { id = '' } = useParams<{ id: string }>();
  const delivery = useApiQuery([...DELIVERY_KEY, id], () =>
    api.webhooks.deliveries.get.query({ delivery_id: id }),
  );
  return (
    <Page
      title="Webhook delivery"
      actions={
        <Link className="button button-secondary" href="/webhooks/deliveries">
          Back to the log
        </Link>
      }
    >
      <QueryView query={delivery} loading="Loading the delivery…">
        {(d) => (
          <>
            <Summary delivery={d} />
            <Attempts deliveryId={d.id} />
            <EventPayload eventId={d.event_id} />
          </>
        )}
      </QueryView>
    </Page>
  );
}

function Summary({ delivery: d }: { delivery: Delivery }) {
  const endpoints = useEndpoints();
  const retrying = d.status === 'pending' && d.attempt_count > 0;
  return (
    <Section title="Summary" actions={<ResendButton delivery={d} />}>
      <div className={`delivery-state delivery-${d.status}`}>
        <Badge value={retrying ? 'retrying' : d.status} />
        <span>
          {d.status === 'failed'
            ? 'Not delivered: every scheduled attempt failed, or the endpoint was disabled.'
            : d.status === 'succeeded'
              ? 'Delivered.'
              : retrying
                ? 'The last attempt failed; it is retried on schedule.'
                : 'Waiting for its first attempt.'}
        </span>
      </div>
      <dl className="facts">
        <dt>Delivery</dt>
        <dd>
          <code>{d.id}</code>
        </dd>
        <dt>Event</dt>
        <dd>
          <code>{d.event_type}</code> (<code>{d.event_id}</code>, the <code>webhook-id</code> header)
        </dd>
        <dt>Endpoint</dt>
        <dd>
          {endpointLabel(endpoints.data?.webhook_endpoints, d.endpoint_id)}: <code>{d.url}</code>
        </dd>
        <dt>Attempts</dt>
        <dd>{d.attempt_count}</dd>
        <dt>Created</dt>
        <dd>
          <Time value={d.created_at} />
        </dd>
        <dt>Last attempt</dt>
        <dd>
          <Time value={d.last_attempt_at} />
        </dd>
        <dt>Next attempt</dt>
        <dd>
          <Time value={d.next_attempt_at} />
        </dd>
        <dt>Delivered</dt>
        <dd>
          <Time value={d.succeeded_at} />
        </dd>
      </dl>
    </Section>
  );
}

function Attempts({ deliveryId }: { deliveryId: string }) {
  const attempts = useInfiniteQuery({
    queryKey: [...ATTEMPTS_KEY, deliveryId, 'all'],
    queryFn: ({ pageParam }) =>
      api.webhooks.deliveries.attempts.query({
        delivery_id: deliveryId,
        limit: 50,
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  return (
    <Section title="Attempts">
      <QueryView query={attempts} loading="Loading attempts…">
        {(data) => {
          const rows = data.pages.flatMap((p) => p.attempts);
          if (rows.length === 0)
            return (
              <EmptyState title="No attempts yet">
                <p>The worker sends it shortly, or it was never sent because the endpoint was disabled.</p>
              </EmptyState>
            );
          return (
            <>
              <ol className="attempts">
                {rows.map((a, i) => (
                  <AttemptCard key={a.id} attempt={a} number={i + 1} />
                ))}
              </ol>
              {attempts.hasNextPage ? (
                <Button
                  variant="secondary"
                  busy={attempts.isFetchingNextPage}
                  onClick={() => attempts.fetchNextPage()}
                >
                  Load more attempts
                </Button>
              ) : null}
            </>
          );
        }}
      </QueryView>
    </Section>
  );
}

const ok = (a: Attempt) => a.response_status !== null && a.response_status >= 200 && a.response_status < 300;

function AttemptCard({ attempt: a, number }: { attempt: Attempt; number: number }) {
  const outcome = a.response_status === null ? 'no answer' : `HTTP ${a.response_status}`;
  return (
    <li className={`attempt ${ok(a) ? 'attempt-ok' : 'attempt-failed'}`}>
      <h3>
        Attempt {number}: {outcome} <Badge value={ok(a) ? 'succeeded' : 'failed'} />
      </h3>
      <dl className="facts">
        <dt>Time</dt>
        <dd>
          <Time value={a.started_at} />
        </dd>
        <dt>Trigger</dt>
        <dd>{a.trigger === 'manual' ? 'Resent by hand' : 'Scheduled'}</dd>
        <dt>Response status</dt>
        <dd data-testid="response-status">{a.response_status ?? '—'}</dd>
        <dt>Duration</dt>
        <dd data-testid="duration">{a.duration_ms} ms</dd>
        {a.error ? (
          <>
            <dt>Error</dt>
            <dd>{a.error}</dd>
          </>
        ) : null}
        <dt>Attempt id</dt>
        <dd>
          <code>{a.id}</code> (the <code>x-hub-delivery</code> header)
        </dd>
      </dl>
      <details className="attempt-part">
        <summary>Request headers</summary>
        {a.request_headers ? (
          <table className="table">
            <caption className="visually-hidden">Request headers of attempt {number}</caption>
            <thead>
              <tr>
                <th scope="col">Header</th>
                <th scope="col">Value as sent</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(a.request_headers).map(([name, value]) => (
                <tr key={name}>
                  <th scope="row" className="header-name">
                    <code>{name}</code>
                  </th>
                  <td>
                    <code className="header-value">{value}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">Not recorded: the attempt predates header logging.</p>
        )}
      </details>
      <div className="attempt-part">
        <h4>Response body</h4>
        <ResponseBody body={a.response_body} />
      </div>
    </li>
  );
}

function ResponseBody({ body }: { body: string | null }) {
  if (!body) return <p className="muted">Empty.</p>;
  const long = body.length > EXCERPT_CHARS;
  return (
    <>
      <pre className="body-excerpt" data-testid="response-body">
        {long ? `${body.slice(0, EXCERPT_CHARS)}…` : body}
      </pre>
      {long ? (
        <details>
          <summary>Show all {body.length} characters kept</summary>
          <pre className="body-excerpt">{body}</pre>
        </details>
      ) : null}
    </>
  );
}

function EventPayload({ eventId }: { eventId: string }) {
  const event = useApiQuery(['webhooks.events.get', eventId], () =>
    api.webhooks.events.get.query({ event_id: eventId }),
  );
  return (
    <Section title="Event payload">
      <QueryView query={event} loading="Loading the event…">
        {(e) => <pre className="body-excerpt">{JSON.stringify(e.data, null, 2)}</pre>}
      </QueryView>
    </Section>
  );
}
