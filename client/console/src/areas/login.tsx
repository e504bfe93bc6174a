import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, useApiMutation } from '../api.ts';
import { SESSION_KEY } from '../session.tsx';
import { Button, Field, FormError } from '../ui/form.tsx';

/** Email and password, then (when the user turned it on) the code from their authenticator app. */
export function LoginPage({ secondFactor, sandbox }: { secondFactor: boolean; sandbox: boolean }) {
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const refresh = () => client.resetQueries({ queryKey: SESSION_KEY });
  const login = useApiMutation((input: { email: string; password: string }) =>
    api.console.session.login.mutate(input),
  );
  const verify = useApiMutation((input: { code: string }) =>
    api.console.session.verifySecondFactor.mutate(input),
  );

  const submitPassword = async (event: FormEvent) => {
    event.preventDefault();
    await login.mutateAsync({ email, password }).then(refresh, () => {});
  };
  const submitCode = async (event: FormEvent) => {
    event.preventDefault();
    await verify.mutateAsync({ code }).then(refresh, () => {});
  };

  return (
    <main className="login" id="main">
      <div className="login-card">
        <p className="brand-mark" aria-hidden="true">
          PH
        </p>
        <h1>Partner Hub console</h1>
        {secondFactor ? (
          <form onSubmit={submitCode} aria-label="Two-factor code">
            <p>Enter the 6-digit code from your authenticator app.</p>
            <Field
              label="Code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\d{6}"
              required
              value={code}
              onChange={(e) => setCode(e.target.value.trim())}
            />
            <FormError error={verify.error} />
            <Button type="submit" busy={verify.isPending}>
              Verify
            </Button>
          </form>
        ) : (
          <form onSubmit={submitPassword} aria-label="Sign in">
            <Field
              label="Email"
              name="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <FormError error={login.error} />
            <Button type="submit" busy={login.isPending}>
              Sign in
            </Button>
          </form>
        )}
        {sandbox ? (
          <p className="hint">
            Sandbox mode: sign in as the demo partner's owner, <code>demo@partner-hub.test</code> with the
            password <code>demo-console-password</code>.
          </p>
        ) : (
          <p className="hint">
            No account? An owner of your partner can invite you, or an operator creates the first owner with{' '}
            <code>npx partner-hub console create-user</code>.
          </p>
        )}
      </div>
    </main>
  );
}
