import type { ConnectionType } from '../../../shared/statuses.ts';
import { html, type SafeHtml } from '../../http/html.ts';

/** What the pages need to run Embedded Signup (Meta's, or the sandbox's stand-in). */
export interface SignupSettings {
  sdkUrl: string;
  /** Where Meta's session-info message comes from. */
  signupOrigin: string;
  appId: string;
  configId: string;
  graphVersion: string;
}

/** Meta's Embedded Signup feature type for numbers that stay on the WhatsApp Business app. */
export const BUSINESS_APP_FEATURE_TYPE = 'whatsapp_business_app_onboarding';

export interface SignupButtonsInput {
  signup: SignupSettings;
  csrfToken: string;
  provisionUrl: string;
  eventsUrl: string;
  /** Which kinds of number may be connected: one button each. */
  connectionTypes: readonly ConnectionType[];
  /** The label of the Cloud API button. */
  label: string;
  primary?: boolean;
}

/**
 * The Embedded Signup buttons (permissions.js runs them): a new Cloud API number, and/or a number
 * that keeps the WhatsApp Business app (coexistence), which asks Meta for the business-app flow
 * with `extras.featureType`. The first button is `#add-number`, as before.
 */
export function signupButtons(p: SignupButtonsInput): SafeHtml {
  const attrs = (featureType: string | null) =>
    html`data-app-id="${p.signup.appId}" data-config-id="${p.signup.configId}" data-graph-version="${p.signup.graphVersion}"
      data-signup-origin="${p.signup.signupOrigin}" data-csrf-token="${p.csrfToken}"
      data-provision-url="${p.provisionUrl}" data-events-url="${p.eventsUrl}"${featureType ? html` data-feature-type="${featureType}"` : ''}`;
  const cls = p.primary ? html` class="primary"` : '';
  const buttons = p.connectionTypes.map((type, i) => {
    const id = i === 0 ? 'add-number' : 'add-app-number';
    return type === 'coexistence'
      ? html`<button type="button"${cls} id="${id}" disabled ${attrs(BUSINESS_APP_FEATURE_TYPE)}>Connect your WhatsApp Business app number</button>`
      : html`<button type="button"${cls} id="${id}" disabled ${attrs(null)}>${p.label}</button>`;
  });
  return html`<div class="add-number">
    ${buttons}
    ${p.connectionTypes.includes('coexistence') ? html`<p class="hint">A WhatsApp Business app number keeps working in the app on the phone; open the app at least every 13 days to keep it connected.</p>` : ''}
    <p id="add-number-status" role="status" aria-live="polite"></p>
  </div>`;
}
