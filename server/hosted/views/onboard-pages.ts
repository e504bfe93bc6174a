import type { ConnectionType } from '../../../shared/statuses.ts';
import { html } from '../../http/html.ts';
import { type Brand, layout } from './layout.ts';
import { linkedDeviceOffer } from './linked-device-pages.ts';
import { type SignupSettings, signupButtons } from './signup-buttons.ts';

export function onboardPage(p: {
  brand: Brand;
  token: string;
  tenantName: string | null;
  csrfToken: string;
  signup: SignupSettings;
  /** Before Start, the page offers only Start and Cancel (a GET must not open the session). */
  started: boolean;
  /** The kinds of number the link allows (`connection_types`): one signup button each. */
  connectionTypes: readonly ConnectionType[];
  /** Linked devices enabled: once started, "Link a device (unofficial)" posts here. */
  linkedDeviceUrl?: string | null | undefined;
}): string {
  const action = p.started
    ? signupButtons({
        signup: p.signup,
        csrfToken: p.csrfToken,
        provisionUrl: `/onboard/${p.token}/complete`,
        eventsUrl: `/onboard/${p.token}/signup-events`,
        connectionTypes: p.connectionTypes,
        label: 'Connect WhatsApp',
        primary: true,
      })
    : html`<form method="post" action="/onboard/${p.token}/open">
    <input type="hidden" name="_csrf" value="${p.csrfToken}">
    <button type="submit" class="primary">Start</button>
  </form>`;
  const body = html`<section class="card">
  <h1>Connect WhatsApp${p.tenantName ? html` for ${p.tenantName}` : ''}</h1>
  <p class="lede">${p.brand.name} asks you to connect a WhatsApp Business number. Meta will ask you to log in with Facebook and choose or create the business account and number.</p>
  ${action}
  ${p.started && p.linkedDeviceUrl ? linkedDeviceOffer({ actionUrl: p.linkedDeviceUrl, csrfToken: p.csrfToken }) : ''}
  <form method="post" action="/onboard/${p.token}/cancel" class="switch">
    <input type="hidden" name="_csrf" value="${p.csrfToken}">
    <button type="submit">Cancel</button>
  </form>
</section>`;
  return layout({
    title: 'Connect WhatsApp',
    brand: p.brand,
    body,
    scripts: ['/hosted/assets/permissions.js', p.signup.sdkUrl],
  });
}
