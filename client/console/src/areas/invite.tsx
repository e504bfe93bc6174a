import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { api, apiErrorOf, useApiMutation, useApiQuery } from '../api.ts';
import { SESSION_KEY } from '../session.tsx';
import { Button, Field, FormError } from '../ui/form.tsx';
import { Time } from '../ui/format.tsx';
import { Loading } from '../ui/states.tsx';
import './settings.css';

/**
 * `/console/invite/<token>`, opened without an account: who invites you and as what, then a
 * name and a password, and you are signed in.
 */
export function InvitePage() {
  const [location, navigate] = useLocation();
  const token = decodeURIComponent(location.replace(/^\/invite\/?/, ''));
  const client = useQueryClient();
  const preview = useApiQuery(
    ['console.invites.preview', token],
    () => api.console.invites.preview.query({ token }),
    {
      enabled: token.length > 0,
    },
  );
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const accept = useApiMutation((input: { name: string; password: string }) =>
    api.console.invites.accept.mutate({ token, ...input }),
  );
  return (
    <main className="login" id="main">
      <div className="login-card">
        <p className="brand-mark" aria-hidden="true">
          PH
        </p>
        <h1>Join a partner’s console</h1>
        {preview.isPending && token ? (
          <Loading label="Checking your invite…" />
        ) : preview.error || !preview.data ? (
          <div className="state state-error" role="alert">
            <p>
              <strong>This invite cannot be used.</strong>{' '}
              {token ? apiErrorOf(preview.error).message : 'The link has no invite in it.'}
            </p>
            <p>
              Already have an account? <a href="/console/">Sign in</a>
            </p>
          </div>
        ) : (
          <form
            aria-label="Accept the invite"
            onSubmit={(e) => {
              e.preventDefault();
              accept.mutateAsync({ name, password }).then(
                () => {
                  navigate('/', { replace: true });
                  return client.resetQueries({ queryKey: SESSION_KEY });
                },
                () => {},
              );
            }}
          >
            <p>
              <strong>{preview.data.partner_name}</strong> invites <strong>{preview.data.email}</strong> as{' '}
              {preview.data.role === 'owner' ? 'an' : 'a'} <strong>{preview.data.role}</strong>. The invite
              works until <Time value={preview.data.expires_at} />.
            </p>
            <Field
              label="Your name"
              autoComplete="name"
              required
              maxLength={200}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <Field
              label="Choose a password"
              type="password"
              autoComplete="new-password"
              required
              minLength={12}
              hint="At least 12 characters."
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <FormError error={accept.error} />
            <Button type="submit" busy={accept.isPending}>
              Join and sign in
            </Button>
          </form>
        )}
      </div>
    </main>
  );
}
