import { useState } from 'react';
import { api, useApiMutation } from '../api.ts';
import { SESSION_KEY, useSession } from '../session.tsx';
import { Button, Field, FormError } from '../ui/form.tsx';
import { Page, Section } from '../ui/page.tsx';
import { TwoFactor } from './account-two-factor.tsx';
import { Saved } from './settings-common.tsx';
import './settings.css';

/** The signed-in user's own account: name, password and two-factor sign-in. */
export function AccountPage() {
  const user = useSession().user!;
  return (
    <Page title="Your account">
      <Section title="Profile">
        <dl className="facts">
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Role</dt>
          <dd>{user.role}</dd>
        </dl>
        <NameForm initial={user.name ?? ''} />
      </Section>
      <PasswordForm />
      <TwoFactor enabled={user.totp_enabled} />
    </Page>
  );
}

function NameForm({ initial }: { initial: string }) {
  const [name, setName] = useState(initial);
  const rename = useApiMutation(
    (input: { name: string }) => api.console.account.rename.mutate(input),
    [SESSION_KEY],
  );
  return (
    <form
      className="settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        rename.mutate({ name });
      }}
    >
      <Field
        label="Name"
        autoComplete="name"
        maxLength={200}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <FormError error={rename.error} />
      <div className="settings-actions">
        <Button type="submit" busy={rename.isPending}>
          Save name
        </Button>
        <Saved show={rename.isSuccess} />
      </div>
    </form>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const change = useApiMutation((input: { current_password: string; new_password: string }) =>
    api.console.account.changePassword.mutate(input),
  );
  return (
    <Section title="Password">
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          change.mutateAsync({ current_password: current, new_password: next }).then(
            () => {
              setCurrent('');
              setNext('');
            },
            () => {},
          );
        }}
      >
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          minLength={12}
          required
          hint="At least 12 characters. Your other sessions are signed out."
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
        <FormError error={change.error} />
        <div className="settings-actions">
          <Button type="submit" busy={change.isPending}>
            Change password
          </Button>
          <span className="saved" role="status">
            {change.data
              ? `Password changed${change.data.other_sessions_ended ? `; ${change.data.other_sessions_ended} other session(s) signed out` : ''}`
              : ''}
          </span>
        </div>
      </form>
    </Section>
  );
}
