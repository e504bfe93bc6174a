import { useEffect, useRef, useState } from 'react';
import { apiErrorOf, useApiMutation } from '../api.ts';
import { Button } from '../ui/form.tsx';
import { portalApi } from './api.ts';
import { isSignupMessage } from './signup-message.ts';

type AddInput = Parameters<typeof portalApi.numbers.add.mutate>[0];

/**
 * "Add a number": Embedded Signup runs in a popup of the hub's own (`/embed/signup`), a top-level
 * window where Meta's SDK, or the sandbox's, works as on the hosted pages; inside this frame it
 * would be a third-party context. The popup hands back what it returned, and this frame
 * provisions it with its own session.
 */
export function AddNumber({
  onAdded,
  invalidates,
}: {
  onAdded: (announcement: string) => void;
  invalidates: readonly unknown[];
}) {
  const popup = useRef<Window | null>(null);
  const [status, setStatus] = useState<{ text: string; error?: boolean }>({ text: '' });
  const add = useApiMutation((input: AddInput) => portalApi.numbers.add.mutate(input), [invalidates]);
  const addRef = useRef(add);
  addRef.current = add;

  useEffect(() => {
    function onMessage(event: MessageEvent) {
      if (event.origin !== location.origin || event.source !== popup.current) return;
      if (!isSignupMessage(event.data)) return;
      popup.current = null;
      const { result } = event.data;
      if (!result) return setStatus({ text: 'Connecting a number was cancelled.' });
      setStatus({ text: 'Connecting your number…' });
      addRef.current.mutate(result, {
        onSuccess: (added) => {
          if (added.status === 'waba_pending') {
            setStatus({
              text: 'Your WhatsApp Business Account is connected but has no number yet: add one to it, then add a number again.',
            });
            return;
          }
          setStatus({ text: '' });
          onAdded('Your number is connected. Grant access to let a provider use it.');
        },
        onError: (error) => setStatus({ text: apiErrorOf(error).message, error: true }),
      });
    }
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [onAdded]);

  function open() {
    setStatus({ text: 'Follow the steps in the window that opened.' });
    popup.current = window.open('/embed/signup', 'partner_hub_portal_signup', 'popup,width=600,height=800');
    if (!popup.current)
      setStatus({ text: 'Your browser blocked the window: allow popups and try again.', error: true });
  }

  return (
    <div className="portal-add">
      <Button onClick={open} busy={add.isPending}>
        Add a number
      </Button>
      <p role="status" aria-live="polite" className={status.error ? 'form-error' : 'hint'}>
        {status.text}
      </p>
    </div>
  );
}
