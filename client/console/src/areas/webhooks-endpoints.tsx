import { useState } from 'react';
import { Link } from 'wouter';
import { api, useApiMutation } from '../api.ts';
import { useCan } from '../session.tsx';
import { ShownOnce } from '../ui/copy.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Button, Field, FormError, SelectField } from '../ui/form.tsx';
import { Time } from '../ui/format.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';
import { ENDPOINTS_KEY, type Endpoint, EndpointHealth, healthOf, useEndpoints } from './webhooks-common.tsx';
import { describeEventTypes, EventTypePicker } from './webhooks-event-types.tsx';
import { TestResult } from './webhooks-test-result.tsx';
import './webhooks.css';

type Editing = { kind: 'create' } | { kind: 'events' | 'rotate'; endpoint: Endpoint } | null;

/** Where the hub sends events: the primary webhook and extra endpoints, with their health. */
export function WebhookEndpointsPage() {
  const can = useCan();
  const endpoints = useEndpoints();
  const [editing, setEditing] = useState<Editing>(null);
  const [tested, setTested] = useState<{ endpoint: Endpoint; deliveryId: string } | null>(null);
  const close = () => setEditing(null);
  return (
    <Page
      title="Webhooks"
      actions={
        <>
          <Link className="button button-secondary" href="/webhooks/deliveries">
            Delivery log
          </Link>
          {can.write ? <Button onClick={() => setEditing({ kind: 'create' })}>Add endpoint</Button> : null}
        </>
      }
    >
      <p className="lead">
        Every event is signed (Standard Webhooks) and retried for about a day. An endpoint failing for days is
        disabled; enable it, then recover what it missed from the delivery log.
      </p>
      <Section title="Endpoints">
        <QueryView query={endpoints} loading="Loading endpoints…">
          {(page) =>
            page.webhook_endpoints.length === 0 ? (
              <EmptyState title="No endpoints yet">
                <p>Add an endpoint to receive events, or set the partner webhook URL in settings.</p>
              </EmptyState>
            ) : (
              <EndpointTable
                endpoints={page.webhook_endpoints}
                onEdit={setEditing}
                onTested={(endpoint, deliveryId) => setTested({ endpoint, deliveryId })}
              />
            )
          }
        </QueryView>
        {tested ? <TestResult url={tested.endpoint.url} deliveryId={tested.deliveryId} /> : null}
      </Section>
      <Dialog open={editing?.kind === 'create'} title="Add an endpoint" onClose={close}>
        <CreateEndpoint onDone={close} />
      </Dialog>
      <Dialog open={editing?.kind === 'events'} title="Events to send" onClose={close}>
        {editing?.kind === 'events' ? <EditEvents endpoint={editing.endpoint} onDone={close} /> : null}
      </Dialog>
      <Dialog open={editing?.kind === 'rotate'} title="Rotate the signing secret" onClose={close}>
        {editing?.kind === 'rotate' ? <RotateSecret endpoint={editing.endpoint} onDone={close} /> : null}
      </Dialog>
    </Page>
  );
}

function EndpointTable({
  endpoints,
  onEdit,
  onTested,
}: {
  endpoints: Endpoint[];
  onEdit: (editing: Editing) => void;
  onTested: (endpoint: Endpoint, deliveryId: string) => void;
}) {
  const can = useCan();
  const test = useApiMutation((e: Endpoint) => api.webhooks.endpoints.test.mutate({ endpoint_id: e.id }));
  const enable = useApiMutation(
    (id: string) => api.webhooks.endpoints.enable.mutate({ endpoint_id: id }),
    [ENDPOINTS_KEY],
  );
  const disable = useApiMutation(
    (id: string) => api.webhooks.endpoints.disable.mutate({ endpoint_id: id }),
    [ENDPOINTS_KEY],
  );
  return (
    <>
      <table className="table">
        <caption className="visually-hidden">Webhook endpoints and their state</caption>
        <thead>
          <tr>
            <th scope="col">Endpoint</th>
            <th scope="col">Events</th>
            <th scope="col">State</th>
            <th scope="col">Secret</th>
            {can.write ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {endpoints.map((e) => {
            const health = healthOf(e);
            const name = e.description ?? e.url;
            return (
              <tr key={e.id} className={health === 'enabled' ? undefined : `row-${health}`}>
                <th scope="row">
                  <div className="endpoint-cell">
                    <span className="endpoint-url">{e.url}</span>
                    <span className="muted">{e.id === 'primary' ? 'Primary webhook' : e.description}</span>
                  </div>
                </th>
                <td>{describeEventTypes(e.event_types)}</td>
                <td>
                  <EndpointHealth endpoint={e} />
                </td>
                <td>
                  {e.previous_secret_expires_at && new Date(e.previous_secret_expires_at) > new Date() ? (
                    <>
                      Old secret also signs until <Time value={e.previous_secret_expires_at} />
                    </>
                  ) : (
                    <span className="muted">One secret</span>
                  )}
                </td>
                {can.write ? (
                  <td>
                    <div className="row-actions">
                      <Button
                        variant="secondary"
                        busy={test.isPending && test.variables?.id === e.id}
                        disabled={health === 'disabled'}
                        aria-label={`Send test to ${name}`}
                        onClick={() => test.mutate(e, { onSuccess: (sent) => onTested(e, sent.delivery_id) })}
                      >
                        Send test
                      </Button>
                      {e.id !== 'primary' ? (
                        <Button
                          variant="secondary"
                          aria-label={`Edit events of ${name}`}
                          onClick={() => onEdit({ kind: 'events', endpoint: e })}
                        >
                          Edit events
                        </Button>
                      ) : null}
                      <Button
                        variant="secondary"
                        aria-label={`Rotate secret of ${name}`}
                        onClick={() => onEdit({ kind: 'rotate', endpoint: e })}
                      >
                        Rotate secret
                      </Button>
                      {health === 'disabled' ? (
                        <Button
                          busy={enable.isPending && enable.variables === e.id}
                          aria-label={`Enable ${name}`}
                          onClick={() => enable.mutate(e.id)}
                        >
                          Enable
                        </Button>
                      ) : (
                        <Button
                          variant="danger"
                          busy={disable.isPending && disable.variables === e.id}
                          aria-label={`Disable ${name}`}
                          onClick={() => disable.mutate(e.id)}
                        >
                          Disable
                        </Button>
                      )}
                    </div>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      <FormError error={test.error ?? enable.error ?? disable.error} />
    </>
  );
}

function CreateEndpoint({ onDone }: { onDone: () => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<string[] | null>(null);
  const create = useApiMutation(
    () =>
      api.webhooks.endpoints.create.mutate({
        url,
        description: description.trim() || null,
        event_types: types,
      }),
    [ENDPOINTS_KEY],
  );
  if (create.data)
    return (
      <>
        <ShownOnce label="The endpoint's signing secret" value={create.data.secret} />
        {create.data.standard_webhooks_secret !== create.data.secret ? (
          <ShownOnce
            label="The same key for Standard Webhooks libraries"
            value={create.data.standard_webhooks_secret}
          />
        ) : null}
        <Button onClick={onDone}>Done</Button>
      </>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(undefined);
      }}
    >
      <Field
        label="URL"
        type="url"
        required
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        hint="HTTPS, reachable from the hub; it receives POST requests."
      />
      <Field
        label="Description (optional)"
        value={description}
        maxLength={200}
        onChange={(e) => setDescription(e.target.value)}
      />
      <EventTypePicker value={types} onChange={setTypes} />
      <FormError error={create.error} />
      <Button type="submit" busy={create.isPending} disabled={types?.length === 0}>
        Add endpoint
      </Button>
    </form>
  );
}

function EditEvents({ endpoint, onDone }: { endpoint: Endpoint; onDone: () => void }) {
  const [types, setTypes] = useState<string[] | null>(endpoint.event_types);
  const update = useApiMutation(
    () => api.webhooks.endpoints.update.mutate({ endpoint_id: endpoint.id, event_types: types }),
    [ENDPOINTS_KEY],
  );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate(undefined, { onSuccess: onDone });
      }}
    >
      <p>
        For <code>{endpoint.url}</code>. Events already recorded keep their deliveries.
      </p>
      <EventTypePicker value={types} onChange={setTypes} />
      <FormError error={update.error} />
      <Button type="submit" busy={update.isPending} disabled={types?.length === 0}>
        Save events
      </Button>
    </form>
  );
}

const OVERLAP = [
  ['3600', 'Old secret keeps signing for 1 hour'],
  ['86400', 'Old secret keeps signing for 1 day'],
  ['604800', 'Old secret keeps signing for 7 days'],
  ['0', 'Stop signing with the old secret now'],
] as const;

function RotateSecret({ endpoint, onDone }: { endpoint: Endpoint; onDone: () => void }) {
  const [grace, setGrace] = useState('86400');
  const rotate = useApiMutation(
    () =>
      api.webhooks.endpoints.rotateSecret.mutate({
        endpoint_id: endpoint.id,
        grace_period_seconds: Number(grace),
      }),
    [ENDPOINTS_KEY],
  );
  if (rotate.data)
    return (
      <>
        <ShownOnce label="The new signing secret" value={rotate.data.secret} />
        <p>
          Deliveries carry signatures under both secrets until{' '}
          <Time value={rotate.data.previous_secret_expires_at} />: switch your receiver over before then.
        </p>
        <Button onClick={onDone}>Done</Button>
      </>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        rotate.mutate(undefined);
      }}
    >
      <p>
        For <code>{endpoint.url}</code>
        {endpoint.id === 'primary' ? ' (and the channel webhooks, which share its secret)' : ''}.
      </p>
      <SelectField label="Overlap window" value={grace} onChange={setGrace} options={OVERLAP} />
      <FormError error={rotate.error} />
      <Button type="submit" busy={rotate.isPending}>
        Rotate secret
      </Button>
    </form>
  );
}
