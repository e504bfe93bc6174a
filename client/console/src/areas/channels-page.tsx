import { Link, useParams } from 'wouter';
import { api, type Outputs, useApiQuery } from '../api.ts';
import { Badge, Time } from '../ui/format.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';
import { limitLabel, Quality } from './channels.tsx';
import { PagedView, usePagedList } from './clients-paging.tsx';
import './clients.css';

type Grant = Outputs['channels']['grants']['grants'][number];

/** One number: its state, its health (asked of Meta live), and when its client granted it to you. */
export function ChannelPage() {
  const { id } = useParams<{ id: string }>();
  const channel = useApiQuery(['channels.get', id], () => api.channels.get.query({ channel_id: id }));
  const title = channel.data ? `+${channel.data.phone_number}` : 'Number';
  return (
    <Page title={title}>
      <p>
        <Link href="/channels">← All numbers</Link>
      </p>
      <Section title="Number">
        <QueryView query={channel}>
          {(c) => (
            <dl className="facts">
              <dt>Status</dt>
              <dd>
                <Badge value={c.status} />
                {c.status_reason ? <span className="muted"> {c.status_reason}</span> : null}
              </dd>
              <dt>Display name</dt>
              <dd>
                {c.verified_name ?? c.display_name ?? <span className="muted">—</span>}
                {c.name_status ? (
                  <span className="muted"> ({c.name_status.toLowerCase().replaceAll('_', ' ')})</span>
                ) : null}
              </dd>
              <dt>Quality rating</dt>
              <dd>
                <Quality value={c.quality_rating} />
              </dd>
              <dt>Messaging limit</dt>
              <dd>
                {c.current_limit ? (
                  `${limitLabel(c.current_limit)} business-initiated conversations a day`
                ) : (
                  <span className="muted">not reported by Meta yet</span>
                )}
              </dd>
              <dt>Client</dt>
              <dd>
                <ClientLink clientId={c.client_id} tenantId={c.tenant_id} />
              </dd>
              <dt>Connection</dt>
              <dd>
                {c.connection_type === 'coexistence'
                  ? 'Coexistence (also on the WhatsApp Business app)'
                  : 'Cloud API'}
              </dd>
              <dt>WABA id</dt>
              <dd>
                <code>{c.waba_id}</code>
              </dd>
              <dt>Phone number id</dt>
              <dd>
                <code>{c.phone_number_id}</code>
              </dd>
              <dt>Channel id</dt>
              <dd>
                <code>{c.id}</code>
              </dd>
              <dt>Connected</dt>
              <dd>
                <Time value={c.created_at} />
              </dd>
            </dl>
          )}
        </QueryView>
      </Section>
      {channel.data ? <ChannelHealth channelId={id} /> : null}
      {channel.data ? <GrantHistory channelId={id} /> : null}
    </Page>
  );
}

/** The client by name (its id until the name is loaded, or if it cannot be). */
function ClientLink({ clientId, tenantId }: { clientId: string; tenantId: string | null }) {
  const client = useApiQuery(['clients.get', clientId], () => api.clients.get.query({ client_id: clientId }));
  return (
    <>
      <Link href={`/clients/${clientId}`}>{client.data?.name ?? tenantId ?? clientId}</Link>
      {tenantId ? (
        <>
          {' '}
          <code className="muted">{tenantId}</code>
        </>
      ) : null}
    </>
  );
}

const REASONS: Record<string, string> = {
  status_failed: 'The number failed to connect',
  token_invalid: 'The business token Meta gave for this number no longer works',
  waba_not_subscribed: "The hub's app is not subscribed to the WABA",
  webhook_not_configured: 'You have no webhook to receive its messages',
};

function Capability({ on, label }: { on: boolean; label: string }) {
  return (
    <li>
      <span className={`badge badge-${on ? 'good' : 'bad'}`}>{on ? 'yes' : 'no'}</span> {label}
    </li>
  );
}

function ChannelHealth({ channelId }: { channelId: string }) {
  const health = useApiQuery(['channels.health', channelId], () =>
    api.channels.health.query({ channel_id: channelId }),
  );
  return (
    <Section title="Health">
      <QueryView query={health} loading="Asking Meta about the number…">
        {(h) => (
          <>
            <ul className="plain-list capabilities" aria-label="Capabilities">
              <Capability on={h.capabilities.can_send_messages} label="Can send messages" />
              <Capability on={h.capabilities.can_receive_messages} label="Can receive messages" />
              <Capability on={h.webhook_configured} label="Your webhook is configured" />
            </ul>
            {h.reasons.length > 0 ? (
              <>
                <h3 className="subheading">Why not</h3>
                <ul className="reasons">
                  {h.reasons.map((r) => (
                    <li key={r}>
                      {REASONS[r] ?? r.replaceAll('_', ' ')} <code>{r}</code>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p className="muted">Nothing stands in the way.</p>
            )}
            {h.webhook_overridden ? (
              <p>Meta sends this number's messages to the tenant's own callback (a webhook override).</p>
            ) : null}
          </>
        )}
      </QueryView>
    </Section>
  );
}

const ACTOR_TYPES: Record<string, string> = {
  client_user: 'the client',
  partner_token: 'a partner token',
  partner_user: 'a console user',
  channel_api_key: 'a channel key',
  operator: 'an operator',
  system: 'the hub',
};

/** Who acted, in words: Meta's own changes carry a `meta:…` id. */
function Actor({ actor }: { actor: Grant['granted_by'] }) {
  if (!actor) return <span className="muted">—</span>;
  if (actor.id?.startsWith('meta:'))
    return (
      <>
        Meta <code>{actor.id}</code>
      </>
    );
  return (
    <>
      {actor.type ? ACTOR_TYPES[actor.type] : 'unknown'}
      {actor.id ? (
        <>
          {' '}
          <code>{actor.id}</code>
        </>
      ) : null}
    </>
  );
}

function GrantHistory({ channelId }: { channelId: string }) {
  const grants = usePagedList(['channels.grants', channelId], (cursor) =>
    api.channels.grants.query({ channel_id: channelId, limit: 20, cursor }),
  );
  return (
    <Section title="Grant history">
      <PagedView query={grants} itemsOf={(p) => p.grants} noun={['grant', 'grants']}>
        {(items) =>
          items.length === 0 ? (
            <EmptyState title="No grants" />
          ) : (
            <table className="table">
              <caption className="visually-hidden">
                When the client granted and revoked your access, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">State</th>
                  <th scope="col">Granted</th>
                  <th scope="col">Granted by</th>
                  <th scope="col">Revoked</th>
                  <th scope="col">Revoked by</th>
                </tr>
              </thead>
              <tbody>
                {items.map((g) => (
                  <tr key={g.id}>
                    <td>
                      <Badge value={g.revoked_at ? 'revoked' : 'granted'} />
                    </td>
                    <td>
                      <Time value={g.granted_at} />
                    </td>
                    <td>
                      <Actor actor={g.granted_by} />
                    </td>
                    <td>
                      <Time value={g.revoked_at} />
                    </td>
                    <td>
                      <Actor actor={g.revoked_by} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </PagedView>
    </Section>
  );
}
