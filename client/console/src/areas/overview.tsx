import { Link } from 'wouter';
import { api, useApiQuery } from '../api.ts';
import { useSession } from '../session.tsx';
import { Badge } from '../ui/format.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';

export function OverviewPage() {
  const session = useSession();
  const partner = useApiQuery(['partner.me'], () => api.partner.me.query());
  const channels = useApiQuery(['channels.list', { limit: 5 }], () => api.channels.list.query({ limit: 5 }));
  return (
    <Page title="Overview">
      <Section title="Your partner">
        <QueryView query={partner}>
          {(p) => (
            <dl className="facts">
              <dt>Name</dt>
              <dd>{p.brand_name ?? p.name}</dd>
              <dt>Partner id</dt>
              <dd>
                <code>{p.id}</code>
              </dd>
              <dt>Payment model</dt>
              <dd>
                {p.payment_model === 'direct' ? 'Direct Payment (clients pay)' : 'Partner Payment (you pay)'}
              </dd>
              <dt>Webhook URL</dt>
              <dd>{p.webhook_url ?? <span className="muted">not set</span>}</dd>
              <dt>Your role</dt>
              <dd>{session.user?.role}</dd>
            </dl>
          )}
        </QueryView>
      </Section>
      <Section title="Newest numbers">
        <QueryView query={channels}>
          {(page) =>
            page.channels.length === 0 ? (
              <EmptyState title="No numbers yet">
                <p>
                  Numbers appear here once a client connects one through your onboarding link or permission
                  page.
                </p>
              </EmptyState>
            ) : (
              <ul className="plain-list">
                {page.channels.map((c) => (
                  <li key={c.id}>
                    <Link href={`/channels/${c.id}`}>+{c.phone_number}</Link>{' '}
                    {c.verified_name ?? c.display_name ?? ''} <Badge value={c.status} />
                  </li>
                ))}
              </ul>
            )
          }
        </QueryView>
      </Section>
    </Page>
  );
}
