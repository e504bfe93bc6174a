import { useState } from 'react';
import { api, type Outputs, useApiMutation, useApiQuery } from '../api.ts';
import { SESSION_KEY, useCan, useSession } from '../session.tsx';
import { ShownOnce } from '../ui/copy.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Button, Field, FormError, SelectField } from '../ui/form.tsx';
import { Badge, Time } from '../ui/format.tsx';
import { Page, Section } from '../ui/page.tsx';
import { EmptyState, QueryView } from '../ui/states.tsx';
import './settings.css';

type Team = Outputs['console']['team']['list'];
type Member = Team['users'][number];
type Role = 'owner' | 'developer' | 'viewer';

const TEAM_KEY = ['console.team.list'] as const;

export const ROLES: readonly (readonly [Role, string])[] = [
  ['viewer', 'Viewer: reads everything, changes nothing'],
  ['developer', 'Developer: also connects numbers, keys and webhooks'],
  ['owner', 'Owner: also settings, partner tokens and the team'],
];

/** The partner's console users and pending invites; owners invite, change roles and remove. */
export function TeamPage() {
  const can = useCan();
  const team = useApiQuery(TEAM_KEY, () => api.console.team.list.query());
  const [inviting, setInviting] = useState(false);
  return (
    <Page
      title="Team"
      actions={can.manage ? <Button onClick={() => setInviting(true)}>Invite a teammate</Button> : null}
    >
      <p className="lead">
        Everyone who signs in to this console for your partner. A partner always keeps at least one owner.
      </p>
      <QueryView query={team}>
        {(t) => (
          <>
            <Members users={t.users} />
            <Invites invites={t.invites} />
          </>
        )}
      </QueryView>
      <InviteDialog open={inviting} onClose={() => setInviting(false)} />
    </Page>
  );
}

function Members({ users }: { users: Member[] }) {
  const can = useCan();
  const me = useSession().user;
  const changeRole = useApiMutation(
    (input: { user_id: string; role: Role }) => api.console.team.changeRole.mutate(input),
    // An owner may change their own role: the session (and with it what the pages offer) follows.
    [TEAM_KEY, SESSION_KEY],
  );
  const remove = useApiMutation((user_id: string) => api.console.team.remove.mutate({ user_id }), [TEAM_KEY]);
  const [removing, setRemoving] = useState<Member | null>(null);
  return (
    <Section title="Members">
      <table className="table">
        <caption className="visually-hidden">Console users of your partner</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Two-factor</th>
            <th scope="col">Last sign-in</th>
            {can.manage ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>
                {u.name ?? <span className="muted">—</span>}
                {u.id === me?.id ? <span className="muted"> (you)</span> : null}
              </td>
              <td>{u.email}</td>
              <td>
                {can.manage ? (
                  <select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    disabled={changeRole.isPending && changeRole.variables?.user_id === u.id}
                    onChange={(e) => changeRole.mutate({ user_id: u.id, role: e.target.value as Role })}
                  >
                    {ROLES.map(([role]) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                ) : (
                  u.role
                )}
              </td>
              <td>
                <Badge value={u.totp_enabled ? 'enabled' : 'off'} />
              </td>
              <td>
                <Time value={u.last_login_at} />
              </td>
              {can.manage ? (
                <td>
                  {/* Leaving is not offered: another owner removes you, so no one locks themselves out by a click. */}
                  {u.id === me?.id ? null : (
                    <Button variant="danger" aria-label={`Remove ${u.email}`} onClick={() => setRemoving(u)}>
                      Remove
                    </Button>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <FormError error={changeRole.error} />
      <Dialog open={removing !== null} title="Remove a teammate" onClose={() => setRemoving(null)}>
        {removing ? (
          <>
            <p>
              <strong>{removing.email}</strong> loses access to this console at their next click.
            </p>
            <FormError error={remove.error} />
            <Button
              variant="danger"
              busy={remove.isPending}
              onClick={() =>
                remove.mutateAsync(removing.id).then(
                  () => setRemoving(null),
                  () => {},
                )
              }
            >
              Remove {removing.email}
            </Button>
          </>
        ) : null}
      </Dialog>
    </Section>
  );
}

function Invites({ invites }: { invites: Team['invites'] }) {
  const can = useCan();
  const revoke = useApiMutation(
    (invite_id: string) => api.console.team.revokeInvite.mutate({ invite_id }),
    [TEAM_KEY],
  );
  return (
    <Section title="Pending invites">
      {invites.length === 0 ? (
        <EmptyState title="No pending invites">
          {can.manage ? <p>Invite a teammate: they get a one-time link, valid for 7 days.</p> : null}
        </EmptyState>
      ) : (
        <table className="table">
          <caption className="visually-hidden">Invites not yet accepted</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Invited by</th>
              <th scope="col">Expires</th>
              {can.manage ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {invites.map((i) => (
              <tr key={i.id}>
                <td>{i.email}</td>
                <td>{i.role}</td>
                <td>{i.invited_by ?? <span className="muted">—</span>}</td>
                <td>
                  <Time value={i.expires_at} />
                </td>
                {can.manage ? (
                  <td>
                    <Button
                      variant="danger"
                      busy={revoke.isPending && revoke.variables === i.id}
                      aria-label={`Revoke the invite of ${i.email}`}
                      onClick={() => revoke.mutate(i.id)}
                    >
                      Revoke
                    </Button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FormError error={revoke.error} />
    </Section>
  );
}

function InviteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('developer');
  const invite = useApiMutation(
    (input: { email: string; role: Role }) => api.console.team.invite.mutate(input),
    [TEAM_KEY],
  );
  const close = () => {
    invite.reset();
    setEmail('');
    onClose();
  };
  return (
    <Dialog open={open} title="Invite a teammate" onClose={close}>
      {invite.data ? (
        <>
          <ShownOnce label={`The invite link for ${invite.data.email}`} value={invite.data.url} />
          <p>
            Send it to them yourself: it works once, until <Time value={invite.data.expires_at} />, and makes
            them {invite.data.role === 'owner' ? 'an' : 'a'} {invite.data.role}.
          </p>
          <Button onClick={close}>Done</Button>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            invite.mutate({ email, role });
          }}
        >
          <Field
            label="Email"
            type="email"
            required
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <SelectField label="Role" value={role} onChange={(v) => setRole(v as Role)} options={ROLES} />
          <FormError error={invite.error} />
          <Button type="submit" busy={invite.isPending}>
            Create invite link
          </Button>
        </form>
      )}
    </Dialog>
  );
}
