import { CONNECTION_TYPES } from '../../../shared/statuses.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import type { Channel } from '../../modules/channels/channel.entity.ts';
import type { PermissionsQuery } from '../permissions-params.ts';
import { type Brand, layout } from './layout.ts';
import { linkedDeviceOffer } from './linked-device-pages.ts';
import { type SignupSettings, signupButtons } from './signup-buttons.ts';

/** The visit's parameters, carried through the forms so every step re-checks them. */
export function visitFields(query: PermissionsQuery): SafeHtml {
  const keep = [
    'state',
    'redirect_url',
    'partner',
    'number',
    'next',
    'io_signature',
    'io_timestamp',
    'io_version',
  ] as const;
  return html`${keep.map((k) => (query[k] === undefined ? '' : html`<input type="hidden" name="${k}" value="${query[k]}">`))}`;
}

export interface AuthPageInput {
  brand: Brand;
  partnerId: string;
  mode: 'signup' | 'login';
  query: PermissionsQuery;
  csrfToken: string;
  /** Prefilled values came with a valid io_signature. */
  trusted: boolean;
  values: { email?: string | undefined; name?: string | undefined };
  error?: string | undefined;
  switchUrl: string;
  /** Partner Payment: the terms of service in force, linked on the sign-up form. */
  terms?: { url: string; version: number } | null | undefined;
}

export function authPage(p: AuthPageInput): string {
  const signup = p.mode === 'signup';
  const title = signup ? `Create your account to connect WhatsApp` : 'Log in to continue';
  const body = html`<section class="card">
  <h1>${title}</h1>
  <p class="lede">${p.brand.name} asks for access to your WhatsApp Business numbers.</p>
  ${p.error ? html`<p class="alert" role="alert" id="form-error">${p.error}</p>` : ''}
  <form method="post" action="/permissions/${p.partnerId}/${p.mode}" novalidate>
    <input type="hidden" name="_csrf" value="${p.csrfToken}">
    ${visitFields(p.query)}
    ${
      signup
        ? html`<label for="name">Your name</label>
    <input id="name" name="name" type="text" autocomplete="name" maxlength="200" value="${p.values.name ?? ''}">
    <label for="business_name">Business name</label>
    <input id="business_name" name="business_name" type="text" autocomplete="organization" maxlength="200">`
        : ''
    }
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="email" required maxlength="320" value="${p.values.email ?? ''}"${p.trusted && p.values.email ? html` readonly aria-describedby="email-trusted"` : p.error ? html` aria-describedby="form-error"` : ''}>
    ${p.trusted && p.values.email ? html`<p class="trusted" id="email-trusted">Email provided by ${p.brand.name}.</p>` : ''}
    <label for="password">Password</label>
    <input id="password" name="password" type="password" required minlength="${signup ? 12 : 1}" maxlength="200" autocomplete="${signup ? 'new-password' : 'current-password'}"${signup ? html` aria-describedby="password-hint"` : ''}>
    ${signup ? html`<p class="hint" id="password-hint">At least 12 characters.</p>` : ''}
    ${
      signup && p.terms
        ? html`<input type="hidden" name="terms_version" value="${String(p.terms.version)}">
    <p class="terms">By creating an account you accept the <a href="${p.terms.url}" target="_blank" rel="noopener noreferrer">terms of service</a>.</p>`
        : ''
    }
    <div class="actions"><button class="primary" type="submit">${signup ? 'Create account' : 'Log in'}</button></div>
  </form>
  <p class="switch">${signup ? 'Already have an account? ' : 'New here? '}<a href="${p.switchUrl}">${signup ? 'Log in' : 'Create an account'}</a></p>
</section>`;
  return layout({ title, brand: p.brand, body });
}

/** What the page needs to run Embedded Signup: Meta's SDK in production, the sandbox's otherwise. */
export interface GrantPageInput {
  brand: Brand;
  signup: SignupSettings;
  partnerId: string;
  query: PermissionsQuery;
  csrfToken: string;
  email: string;
  channels: Channel[];
  granted: Set<string>;
  /** The number the page just connected (a hub-signed `added`), ticked. */
  added?: string | undefined;
  error?: string | undefined;
  /** Linked devices enabled: "Link a device (unofficial)" posts here. */
  linkedDeviceUrl?: string | null | undefined;
}

export function grantPage(p: GrantPageInput): string {
  const requested = p.query.number;
  const items = p.channels.map((c) => {
    const isRequested = requested !== undefined && c.phoneNumber === requested;
    const checked = p.granted.has(c.id) || isRequested || p.added === c.id;
    return html`<li class="${isRequested ? 'requested' : ''}">
      <label><input type="checkbox" name="channels" value="${c.id}"${checked ? html` checked` : ''}>
      <span><span class="number">+${c.phoneNumber}</span> <span class="meta">${c.verifiedName ?? ''} · ${c.status}${isRequested ? ' · requested' : ''}</span></span></label>
    </li>`;
  });
  const missing = requested !== undefined && !p.channels.some((c) => c.phoneNumber === requested);
  const body = html`<section class="card">
  <h1>Choose the numbers ${p.brand.name} may use</h1>
  ${missing ? html`<p class="notice" role="status">${p.brand.name} asks for +${requested}, which is not connected yet: use “Add a number” below.</p>` : ''}
  <p class="lede">Signed in as ${p.email}. ${p.brand.name} will be able to send and receive messages on the numbers you tick. You can change this at any time.</p>
  ${p.error ? html`<p class="alert" role="alert">${p.error}</p>` : ''}
  <form method="post" action="/permissions/${p.partnerId}/confirm">
    <input type="hidden" name="_csrf" value="${p.csrfToken}">
    ${visitFields(p.query)}
    <fieldset class="plain"><legend>Your WhatsApp numbers</legend>
    ${p.channels.length > 0 ? html`<ul class="channels">${items}</ul>` : html`<p class="empty">You have not connected a number yet.</p>`}
    </fieldset>
    ${signupButtons({
      signup: p.signup,
      csrfToken: p.csrfToken,
      provisionUrl: `/permissions/${p.partnerId}/channels`,
      eventsUrl: `/permissions/${p.partnerId}/signup-events`,
      connectionTypes: CONNECTION_TYPES,
      label: 'Add a number',
    })}
    <div class="actions"><button class="primary" type="submit">Confirm</button></div>
  </form>
  ${p.linkedDeviceUrl ? linkedDeviceOffer({ actionUrl: p.linkedDeviceUrl, csrfToken: p.csrfToken, hidden: visitFields(p.query) }) : ''}
  <form method="post" action="/permissions/${p.partnerId}/logout" class="switch">
    <input type="hidden" name="_csrf" value="${p.csrfToken}">
    ${visitFields(p.query)}
    <button type="submit">Log out</button>
  </form>
</section>`;
  return layout({
    title: `Grant access to ${p.brand.name}`,
    brand: p.brand,
    body,
    scripts: ['/hosted/assets/permissions.js', p.signup.sdkUrl],
  });
}
