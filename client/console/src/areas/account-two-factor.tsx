import { useState } from 'react';
import { api, useApiMutation } from '../api.ts';
import { SESSION_KEY } from '../session.tsx';
import { Button, Field, FormError } from '../ui/form.tsx';
import { Badge } from '../ui/format.tsx';
import { Section } from '../ui/page.tsx';

const codeProps = {
  inputMode: 'numeric',
  autoComplete: 'one-time-code',
  pattern: '\\d{6}',
  maxLength: 6,
  required: true,
} as const;

/**
 * Two-factor sign-in with an authenticator app: a new secret (QR code and text) is confirmed
 * with a code before sign-in asks for one; turning it off needs a current code too.
 */
export function TwoFactor({ enabled }: { enabled: boolean }) {
  const [code, setCode] = useState('');
  const start = useApiMutation(() => api.console.account.startTotp.mutate());
  const confirm = useApiMutation(
    (input: { code: string }) => api.console.account.confirmTotp.mutate(input),
    [SESSION_KEY],
  );
  const disable = useApiMutation(
    (input: { code: string }) => api.console.account.disableTotp.mutate(input),
    [SESSION_KEY],
  );
  const submit = (mutation: typeof confirm) => (e: React.FormEvent) => {
    e.preventDefault();
    mutation.mutateAsync({ code }).then(
      () => {
        setCode('');
        start.reset();
      },
      () => {},
    );
  };
  return (
    <Section title="Two-factor sign-in" actions={<Badge value={enabled ? 'enabled' : 'off'} />}>
      <p className="visually-hidden" role="status">
        {confirm.isSuccess && enabled ? 'Two-factor sign-in is on' : ''}
        {disable.isSuccess && !enabled ? 'Two-factor sign-in is off' : ''}
      </p>
      {enabled ? (
        <form className="settings-form" onSubmit={submit(disable)} aria-label="Turn off two-factor sign-in">
          <p>Sign-in asks for a code from your authenticator app. To turn this off, enter a current code.</p>
          <Field label="Code" value={code} onChange={(e) => setCode(e.target.value.trim())} {...codeProps} />
          <FormError error={disable.error} />
          <Button type="submit" variant="danger" busy={disable.isPending}>
            Turn off two-factor sign-in
          </Button>
        </form>
      ) : start.data ? (
        <form className="settings-form" onSubmit={submit(confirm)} aria-label="Confirm two-factor sign-in">
          <p>Scan this code with your authenticator app, or type the secret into it.</p>
          {/* An image of the hub-made SVG, never markup in the page. */}
          <img
            className="qr-code"
            src={`data:image/svg+xml;base64,${btoa(start.data.qr_svg)}`}
            alt="QR code of the two-factor secret"
            width={200}
            height={200}
          />
          <p>
            Secret: <code data-testid="totp-secret">{start.data.secret}</code>
          </p>
          <Field
            label="Code from the app"
            value={code}
            onChange={(e) => setCode(e.target.value.trim())}
            {...codeProps}
          />
          <FormError error={confirm.error} />
          <Button type="submit" busy={confirm.isPending}>
            Turn on two-factor sign-in
          </Button>
        </form>
      ) : (
        <div className="settings-form">
          <p>Protect your account with a code from an authenticator app at every sign-in.</p>
          <FormError error={start.error} />
          <Button busy={start.isPending} onClick={() => start.mutate(undefined)}>
            Set up two-factor sign-in
          </Button>
        </div>
      )}
    </Section>
  );
}
