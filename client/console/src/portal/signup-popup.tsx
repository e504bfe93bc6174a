import { useEffect, useRef, useState } from 'react';
import { useApiQuery } from '../api.ts';
import { Button } from '../ui/form.tsx';
import { QueryView } from '../ui/states.tsx';
import { type PortalOutputs, portalApi } from './api.ts';
import { SIGNUP_MESSAGE, type SignupResultMessage } from './signup-message.ts';

type Settings = PortalOutputs['signup']['settings'];
interface SessionInfo {
  event: string;
  data: { waba_id: string; phone_number_id?: string; business_id?: string };
}
interface FacebookSdk {
  init(options: { appId: string; version: string; xfbml: boolean }): void;
  login(callback: (response: { authResponse?: { code?: string } | null }) => void, options: object): void;
}
declare global {
  interface Window {
    FB?: FacebookSdk;
    fbAsyncInit?: () => void;
  }
}

/** Hands the result to the portal frame that opened this window, on the hub's origin only, and closes. */
function finish(result: SignupResultMessage['result']) {
  const message: SignupResultMessage = { type: SIGNUP_MESSAGE, result };
  window.opener?.postMessage(message, location.origin);
  if (window.opener) window.close();
}

/** `/embed/signup`: Embedded Signup (Meta's, or the sandbox's) in a top-level window. */
export function SignupPopup() {
  const settings = useApiQuery(['portal', 'signup-settings'], () => portalApi.signup.settings.query());
  useEffect(() => {
    document.title = 'Connect a WhatsApp number';
  }, []);
  return (
    <main className="portal portal-popup">
      <h1 className="portal-title">Connect a WhatsApp number</h1>
      <QueryView query={settings}>{(s) => <Connect settings={s} />}</QueryView>
    </main>
  );
}

function Connect({ settings }: { settings: Settings }) {
  const [ready, setReady] = useState(Boolean(window.FB));
  const [status, setStatus] = useState('');
  const sessionInfo = useRef<SessionInfo | null>(null);

  useEffect(() => {
    window.fbAsyncInit = () => {
      window.FB?.init({ appId: settings.appId, version: settings.graphVersion, xfbml: false });
      setReady(true);
    };
    if (!document.querySelector(`script[src="${settings.sdkUrl}"]`)) {
      const script = document.createElement('script');
      script.src = settings.sdkUrl;
      script.async = true;
      script.crossOrigin = 'anonymous';
      document.body.append(script);
    } else window.fbAsyncInit();
    // Meta posts the WABA and number ids to this window as a JSON string (sessionInfoVersion 3).
    function onMessage(event: MessageEvent) {
      if (event.origin !== settings.signupOrigin || typeof event.data !== 'string') return;
      try {
        const data = JSON.parse(event.data) as SessionInfo & { type?: string };
        if (data.type === 'WA_EMBEDDED_SIGNUP' && data.event.startsWith('FINISH')) sessionInfo.current = data;
      } catch {
        // Not Meta's message.
      }
    }
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [settings]);

  async function handOver(code: string) {
    // The session info can arrive a moment after the login callback.
    for (let i = 0; i < 20 && !sessionInfo.current; i++) await new Promise((r) => setTimeout(r, 100));
    const info = sessionInfo.current;
    if (!info) return setStatus('Meta did not say which number you connected. Please try again.');
    finish({
      code,
      waba_id: info.data.waba_id,
      ...(info.data.phone_number_id ? { phone_number_id: info.data.phone_number_id } : {}),
      ...(info.data.business_id ? { business_id: info.data.business_id } : {}),
      connection_type: info.event === 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING' ? 'coexistence' : 'cloud_api',
    });
  }

  function start() {
    sessionInfo.current = null;
    setStatus('Follow the steps in the window that opened.');
    window.FB?.login(
      (response) => {
        const code = response.authResponse?.code;
        if (code) void handOver(code);
        else setStatus('Connecting a number was cancelled. You can start again or close this window.');
      },
      {
        config_id: settings.configId,
        response_type: 'code',
        override_default_response_type: true,
        extras: { sessionInfoVersion: 3, setup: {} },
      },
    );
  }

  return (
    <>
      <p className="lead">Sign in with Facebook and choose or create the WhatsApp number to connect.</p>
      <div className="toolbar">
        <Button onClick={start} disabled={!ready}>
          Continue with Facebook
        </Button>
        <button type="button" className="button button-secondary" onClick={() => finish(null)}>
          Cancel
        </button>
      </div>
      <p role="status" aria-live="polite" className="hint">
        {ready ? status : 'Loading…'}
      </p>
    </>
  );
}
