import { useState } from 'react';
import { Link } from 'wouter';
import { ONBOARDING_SESSION_STATUSES } from '../../../../shared/statuses.ts';
import { api, type Outputs, useApiMutation } from '../api.ts';
import { useCan } from '../session.tsx';
import { CopyButton } from '../ui/copy.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Button, Field, FormError, SelectField } from '../ui/form.tsx';
import { Badge, Time } from '../ui/format.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState } from '../ui/states.tsx';
import { anyOf, FilterForm, filterInput, useFilters } from './clients-filters.tsx';
import { PagedView, usePagedList } from './clients-paging.tsx';
import { CreateLinkForm } from './onboarding-create.tsx';
import './clients.css';

export type Session = Outputs['onboarding']['list']['onboarding_sessions'][number];

const LIST_KEY = ['onboarding.list'] as const;
const OPEN: readonly string[] = ['pending', 'opened'];

/** Onboarding links: who they are for, how far the tenant got (and where they gave up), create and cancel. */
export function OnboardingPage() {
  const can = useCan();
  const filters = useFilters({ status: '', tenant_id: '' });
  const input = filterInput(filters.applied);
  const sessions = usePagedList([...LIST_KEY, 'paged', input], (cursor) =>
    api.onboarding.list.query({ ...input, limit: 25, cursor }),
  );
  const [creating, setCreating] = useState(false);
  const [cancelling, setCancelling] = useState<Session | null>(null);
  const filtered = Object.keys(input).length > 0;
  return (
    <Page
      title="Onboarding links"
      actions={can.write ? <Button onClick={() => setCreating(true)}>Create onboarding link</Button> : null}
    >
      <p className="lead">
        A one-time link you send a tenant: it opens Meta's Embedded Signup and connects their number to you.
      </p>
      <FilterForm label="Filter onboarding links" onApply={filters.apply} onClear={filters.clear}>
        <SelectField
          label="Status"
          value={filters.draft.status!}
          onChange={filters.set('status')}
          options={anyOf(ONBOARDING_SESSION_STATUSES)}
        />
        <Field
          label="Tenant id"
          value={filters.draft.tenant_id}
          onChange={(e) => filters.set('tenant_id')(e.target.value)}
        />
      </FilterForm>
      <Section title="Links">
        <PagedView query={sessions} itemsOf={(p) => p.onboarding_sessions} noun={['link', 'links']}>
          {(items) =>
            items.length === 0 ? (
              <EmptyState title={filtered ? 'No link matches' : 'No onboarding links yet'}>
                <p>
                  {filtered ? 'Clear the filters to see every link.' : 'Create one for your first tenant.'}
                </p>
              </EmptyState>
            ) : (
              <SessionTable sessions={items} canWrite={can.write} onCancel={setCancelling} />
            )
          }
        </PagedView>
      </Section>
      <Dialog open={creating} title="Create an onboarding link" onClose={() => setCreating(false)}>
        <CreateLinkForm onDone={() => setCreating(false)} listKey={LIST_KEY} />
      </Dialog>
      <CancelDialog session={cancelling} onClose={() => setCancelling(null)} />
    </Page>
  );
}

/** How far the tenant got: the number once connected, or the Embedded Signup step they left at. */
function Progress({ s }: { s: Session }) {
  if (s.status === 'completed' && s.channel_id)
    return (
      <>
        Connected <Link href={`/channels/${s.channel_id}`}>+{s.phone_number}</Link>
      </>
    );
  const event = s.last_signup_event;
  if (s.abandoned_at && event) {
    if (event.event === 'ERROR')
      return (
        <>
          Error in Embedded Signup{event.error_message ? `: ${event.error_message}` : ''}
          {event.current_step ? (
            <>
              {' '}
              at <code>{event.current_step}</code>
            </>
          ) : null}
        </>
      );
    return (
      <>
        Left at <code>{event.current_step ?? 'an unknown step'}</code>
      </>
    );
  }
  if (s.failure_reason) return <code>{s.failure_reason}</code>;
  if (s.opened_at) return <>Opened</>;
  return <span className="muted">Not opened yet</span>;
}

function SessionTable({
  sessions,
  canWrite,
  onCancel,
}: {
  sessions: Session[];
  canWrite: boolean;
  onCancel: (s: Session) => void;
}) {
  return (
    <table className="table">
      <caption className="visually-hidden">Onboarding links, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Tenant</th>
          <th scope="col">Status</th>
          <th scope="col">Progress</th>
          <th scope="col">Created</th>
          <th scope="col">Expires</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((s) => (
          <tr key={s.id}>
            <td>
              {s.tenant_name ?? s.tenant_id}
              {s.tenant_name ? (
                <>
                  {' '}
                  <code className="muted">{s.tenant_id}</code>
                </>
              ) : null}
            </td>
            <td>
              <Badge value={s.abandoned_at && OPEN.includes(s.status) ? 'abandoned' : s.status} />
            </td>
            <td>
              <Progress s={s} />
            </td>
            <td>
              <Time value={s.created_at} />
            </td>
            <td>
              <Time value={s.expires_at} />
            </td>
            <td>
              {OPEN.includes(s.status) ? (
                <fieldset className="row-actions" aria-label={`Link for ${s.tenant_id}`}>
                  <CopyButton value={s.onboarding_url} label="Copy link" />
                  {canWrite ? (
                    <Button
                      variant="danger"
                      onClick={() => onCancel(s)}
                      aria-label={`Cancel link for ${s.tenant_id}`}
                    >
                      Cancel
                    </Button>
                  ) : null}
                </fieldset>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CancelDialog({ session, onClose }: { session: Session | null; onClose: () => void }) {
  const cancel = useApiMutation((id: string) => api.onboarding.cancel.mutate({ session_id: id }), [LIST_KEY]);
  return (
    <Dialog
      open={session !== null}
      title="Cancel this onboarding link?"
      onClose={() => {
        cancel.reset();
        onClose();
      }}
    >
      {session ? (
        <>
          <p>
            The link for <strong>{session.tenant_name ?? session.tenant_id}</strong> stops working at once,
            and your webhook receives <code>onboarding_session.cancelled</code>.
          </p>
          <FormError error={cancel.error} />
          <div className="button-row">
            <Button
              variant="danger"
              busy={cancel.isPending}
              onClick={() => cancel.mutateAsync(session.id).then(onClose, () => {})}
            >
              Cancel the link
            </Button>
            <Button variant="secondary" onClick={onClose}>
              Keep it
            </Button>
          </div>
        </>
      ) : null}
    </Dialog>
  );
}
