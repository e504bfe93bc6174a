import { z } from 'zod';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import { escapeHtml } from '../../http/html.ts';

export interface DialogSettings {
  /** Where the page posts its messages; `postMessage` targets exactly this origin. */
  openerOrigin: string;
  /** Names the BroadcastChannel used when the opener is the hub's own origin. */
  channel: string;
  sessionId: string;
  completeUrl: string;
  scriptUrl: string;
  appId: string;
  prefill: { businessName?: string; phoneNumber?: string; displayName?: string; coexistence: boolean };
}

/**
 * The `extras` FB.login passes along: `featureType: "whatsapp_business_app_onboarding"` asks
 * for coexistence and `setup` prefills the form, as with Meta's dialog. Anything else is ignored.
 */
const ExtrasSchema = z
  .object({
    featureType: safeString().optional(),
    setup: z
      .object({
        business: z
          .object({
            name: safeString().optional(),
            phone: z
              .object({ code: z.union([safeString(), z.number()]), number: safeString() })
              .partial()
              .optional(),
          })
          .partial()
          .optional(),
        phone: z.object({ displayName: safeString().optional() }).partial().optional(),
      })
      .partial()
      .optional(),
  })
  .partial();

export function prefillFromExtras(raw: string | undefined): DialogSettings['prefill'] {
  let json: unknown;
  try {
    json = raw ? JSON.parse(raw) : {};
  } catch {
    json = {};
  }
  const extras = ExtrasSchema.safeParse(json);
  const e = extras.success ? extras.data : {};
  const phone = e.setup?.business?.phone;
  return {
    businessName: e.setup?.business?.name,
    phoneNumber: phone?.number ? `+${phone.code ?? ''}${phone.number}` : undefined,
    displayName: e.setup?.phone?.displayName,
    coexistence: e.featureType === 'whatsapp_business_app_onboarding',
  };
}

// Inline styles are allowed by the hub's CSP (style-src 'unsafe-inline'); scripts are not,
// so the behaviour lives in a separate file.
const STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  body { margin: 0; background: #f0f2f5; color: #1c1e21; }
  .banner { background: #fff3cd; border-bottom: 2px solid #e0a800; padding: .75rem 1.25rem; font-size: .95rem; }
  main { max-width: 32rem; margin: 1.5rem auto; background: #fff; border-radius: 8px; padding: 1.5rem 1.75rem;
         box-shadow: 0 1px 3px rgba(0,0,0,.15); }
  h1 { font-size: 1.35rem; margin: 0 0 .5rem; }
  .lede { margin: 0 0 1.25rem; color: #444; }
  .field { margin-bottom: 1rem; }
  label { font-weight: 600; display: block; margin-bottom: .25rem; }
  .hint { margin: 0 0 .25rem; color: #555; font-size: .9rem; }
  select { font-size: 1rem; padding: .45rem .5rem; border: 1px solid #8a8d91; border-radius: 6px; }
  .outcome { margin-top: 1.25rem; padding-top: 1rem; border-top: 1px solid #ccd0d5; }
  input[type=text], input[type=tel] { width: 100%; box-sizing: border-box; padding: .55rem .65rem; font-size: 1rem;
         border: 1px solid #8a8d91; border-radius: 6px; }
  input[aria-invalid=true] { border-color: #b00020; border-width: 2px; }
  fieldset { border: 1px solid #ccd0d5; border-radius: 6px; margin: 0 0 1rem; padding: .75rem 1rem; }
  legend { font-weight: 600; padding: 0 .25rem; }
  fieldset label { font-weight: 400; display: flex; gap: .5rem; align-items: baseline; margin: .35rem 0; }
  .error { color: #b00020; margin: .25rem 0 0; font-size: .9rem; min-height: 0; }
  .error:empty { display: none; }
  .form-error { border: 2px solid #b00020; border-radius: 6px; padding: .6rem .75rem; margin-bottom: 1rem; color: #b00020; }
  .actions { display: flex; gap: .5rem; flex-wrap: wrap; margin-top: 1.25rem; }
  button { font-size: 1rem; padding: .55rem 1.1rem; border-radius: 6px; border: 1px solid #8a8d91; background: #fff; cursor: pointer; }
  button.primary { background: #0866ff; border-color: #0866ff; color: #fff; font-weight: 600; }
  button.secondary-danger { color: #8a1c1c; }
  button:focus-visible, input:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
  button[disabled] { opacity: .6; cursor: progress; }
  .done code { word-break: break-all; }
`;

/** Steps the simulated flow can be cancelled at; Meta reports one of its own in `current_step`. */
export const SANDBOX_SIGNUP_STEPS = [
  'BUSINESS_ACCOUNT_SETUP',
  'WABA_SETUP',
  'PHONE_NUMBER_SETUP',
  'PHONE_NUMBER_VERIFICATION',
  'PERMISSIONS',
] as const;

/**
 * The simulated Embedded Signup popup: business, number, display name, connection type, and
 * every outcome Meta reports: Finish (FINISH, or FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING for
 * coexistence), Finish without a phone number (FINISH_ONLY_WABA), Cancel at a chosen step
 * (CANCEL with `current_step`) and Simulate error (ERROR).
 */
export function renderDialogPage(s: DialogSettings): string {
  const value = (v: string | undefined) => (v ? ` value="${escapeHtml(v)}"` : '');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <link rel="icon" href="data:,">
  <title>Connect WhatsApp · Partner Hub sandbox</title>
  <style>${STYLE}</style>
</head>
<body>
  <div class="banner" role="note"><strong>Partner Hub sandbox.</strong> This is a simulation of Meta's
    Embedded Signup: nothing is sent to Meta or WhatsApp, and no real account is created.</div>
  <main>
    <h1>Connect your business to WhatsApp</h1>
    <p class="lede">Partner Hub Sandbox (app ${escapeHtml(s.appId)}) will be able to manage and send messages from the number you add.</p>
    <div id="form-error" class="form-error" role="alert" tabindex="-1" hidden></div>
    <form id="signup" novalidate
      data-opener-origin="${escapeHtml(s.openerOrigin)}"
      data-channel="${escapeHtml(s.channel)}"
      data-session-id="${escapeHtml(s.sessionId)}"
      data-complete-url="${escapeHtml(s.completeUrl)}">
      <div class="field">
        <label for="business_name">Business name</label>
        <input type="text" id="business_name" name="business_name" autocomplete="organization" required
          aria-describedby="business_name-error"${value(s.prefill.businessName)}>
        <p class="error" id="business_name-error"></p>
      </div>
      <div class="field">
        <label for="phone_number">Phone number</label>
        <p class="hint" id="phone_number-hint">With the country code, for example +1 555 000 1111.</p>
        <input type="tel" id="phone_number" name="phone_number" autocomplete="tel" required
          aria-describedby="phone_number-hint phone_number-error"${value(s.prefill.phoneNumber)}>
        <p class="error" id="phone_number-error"></p>
      </div>
      <div class="field">
        <label for="display_name">Display name</label>
        <p class="hint" id="display_name-hint">The name customers see in WhatsApp.</p>
        <input type="text" id="display_name" name="display_name" required
          aria-describedby="display_name-hint display_name-error"${value(s.prefill.displayName)}>
        <p class="error" id="display_name-error"></p>
      </div>
      <fieldset aria-describedby="connection_type-error">
        <legend>Connection type</legend>
        <label><input type="radio" name="connection_type" value="cloud_api"${s.prefill.coexistence ? '' : ' checked'}> Cloud API</label>
        <label><input type="radio" name="connection_type" value="coexistence"${s.prefill.coexistence ? ' checked' : ''}> WhatsApp Business app (coexistence)</label>
        <p class="error" id="connection_type-error"></p>
      </fieldset>
      <div class="actions">
        <button type="submit" class="primary">Finish</button>
        <button type="button" id="finish-without-number">Continue without a phone number</button>
      </div>
      <div class="field outcome">
        <label for="cancel-step">Cancel at step</label>
        <p class="hint" id="cancel-step-hint">The step Meta reports with the cancel (<code>current_step</code>).</p>
        <select id="cancel-step" aria-describedby="cancel-step-hint">
          <option value="">The step I am on</option>
${SANDBOX_SIGNUP_STEPS.map((step) => `          <option value="${step}">${step}</option>`).join('\n')}
        </select>
      </div>
      <div class="actions">
        <button type="button" id="cancel">Cancel</button>
        <button type="button" id="simulate-error" class="secondary-danger">Simulate error</button>
      </div>
    </form>
    <div id="done" class="done" role="status" hidden></div>
  </main>
  <script src="${escapeHtml(s.scriptUrl)}"></script>
</body>
</html>
`;
}

/** Meta shows an error page instead of the flow when the app or configuration is wrong. */
export function renderDialogError(title: string, detail: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} · Partner Hub sandbox</title><style>${STYLE}</style></head>
<body>
  <div class="banner" role="note"><strong>Partner Hub sandbox.</strong> A simulation of Meta's Embedded Signup.</div>
  <main><h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(detail)}</p></main>
</body>
</html>
`;
}
