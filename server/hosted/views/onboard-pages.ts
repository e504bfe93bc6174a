import { html } from '../../http/html.ts';
import { type Brand, layout } from './layout.ts';
import type { SignupSettings } from './permissions-pages.ts';

export function onboardPage(p: {
  brand: Brand;
  token: string;
  tenantName: string | null;
  csrfToken: string;
  signup: SignupSettings;
  /** Before Start, the page offers only Start and Cancel (a GET must not open the session). */
  started: boolean;
}): string {
  const action = p.started
    ? html`<div class="add-number">
    <button type="button" class="primary" id="add-number" disabled
      data-app-id="${p.signup.appId}" data-config-id="${p.signup.configId}" data-graph-version="${p.signup.graphVersion}"
      data-signup-origin="${p.signup.signupOrigin}" data-csrf-token="${p.csrfToken}"
      data-provision-url="/onboard/${p.token}/complete" data-events-url="/onboard/${p.token}/signup-events">Connect WhatsApp</button>
    <p id="add-number-status" role="status" aria-live="polite"></p>
  </div>`
    : html`<form method="post" action="/onboard/${p.token}/open">
    <input type="hidden" name="_csrf" value="${p.csrfToken}">
    <button type="submit" class="primary">Start</button>
  </form>`;
  const body = html`<section class="card">
  <h1>Connect WhatsApp${p.tenantName ? html` for ${p.tenantName}` : ''}</h1>
  <p class="lede">${p.brand.name} asks you to connect a WhatsApp Business number. Meta will ask you to log in with Facebook and choose or create the business account and number.</p>
  ${action}
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
