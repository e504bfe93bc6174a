import type { StatementView } from '../../../shared/schemas/billing.ts';
import { html } from '../../http/html.ts';
import type { ChannelAccess } from '../../modules/permissions/client-hub.service.ts';
import { brandOf, layout } from './layout.ts';

const brandName = (p: { brandName?: string | null; name: string }) => brandOf(p).name;

export function hubLoginPage(p: {
  csrfToken: string;
  error?: string | undefined;
  email?: string | undefined;
}): string {
  return layout({
    title: 'Log in to your Partner Hub account',
    brand: null,
    body: html`<section class="card">
  <h1>Log in</h1>
  <p class="lede">Manage your WhatsApp numbers and which apps may use them.</p>
  ${p.error ? html`<p class="alert" role="alert" id="form-error">${p.error}</p>` : ''}
  <form method="post" action="/hub/login">
    <input type="hidden" name="_csrf" value="${p.csrfToken}">
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="email" required maxlength="320" value="${p.email ?? ''}">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200">
    <div class="actions"><button class="primary" type="submit">Log in</button></div>
  </form>
</section>`,
  });
}

export function hubPage(p: {
  csrfToken: string;
  email: string;
  businessName: string | null;
  access: ChannelAccess[];
  /** Why the last delete-account attempt was refused. */
  deleteError?: string | undefined;
  /** Direct Payment: the card on file, the standing and the statements; null under Partner Payment. */
  billing: HubBilling | null;
}): string {
  const accessForm = (channelId: string, partnerId: string, action: 'grant' | 'revoke', label: string) =>
    html`<form method="post" action="/hub/access" class="inline">
      <input type="hidden" name="_csrf" value="${p.csrfToken}">
      <input type="hidden" name="channel_id" value="${channelId}">
      <input type="hidden" name="partner_id" value="${partnerId}">
      <input type="hidden" name="action" value="${action}">
      <button type="submit">${label}</button>
    </form>`;
  const channels = p.access.map(
    (a) => html`<li>
      <h3><span class="number">+${a.channel.phoneNumber}</span> <span class="meta">${a.channel.verifiedName ?? ''} · ${a.channel.status}</span></h3>
      <ul class="partners">
        ${a.granted.map((partner) => html`<li><span>${brandName(partner)} has access</span>${accessForm(a.channel.id, partner.id, 'revoke', `Revoke ${brandName(partner)}`)}</li>`)}
        ${a.grantable.map((partner) => html`<li><span>${brandName(partner)} has no access</span>${accessForm(a.channel.id, partner.id, 'grant', `Grant ${brandName(partner)}`)}</li>`)}
      </ul>
    </li>`,
  );
  return layout({
    title: 'Your WhatsApp numbers',
    brand: null,
    body: html`<section class="card">
  <h1>Your WhatsApp numbers</h1>
  ${p.access.length > 0 ? html`<ul class="channels hub">${channels}</ul>` : html`<p class="empty">No numbers connected yet. Connect one from the app you use.</p>`}
</section>
${p.billing ? billingSection(p.billing) : ''}
<section class="card account">
  <h2>Account</h2>
  <p>${p.email}${p.businessName ? html` · ${p.businessName}` : ''}</p>
  <form method="post" action="/hub/logout"><input type="hidden" name="_csrf" value="${p.csrfToken}"><button type="submit">Log out</button></form>
</section>
<section class="card account">
  <h2>Delete your account</h2>
  <p>This deletes your login and, if you are the business's last user, the business with its numbers: every app loses access to them at once. It cannot be undone.</p>
  ${p.deleteError ? html`<p class="alert" role="alert" id="delete-error">${p.deleteError}</p>` : ''}
  <form method="post" action="/hub/account/delete">
    <input type="hidden" name="_csrf" value="${p.csrfToken}">
    <label for="delete-password">Your password</label>
    <input id="delete-password" name="password" type="password" autocomplete="current-password" required maxlength="200">
    <div class="actions"><button type="submit">Delete my account</button></div>
  </form>
</section>`,
  });
}

export interface HubBilling {
  card: string | null;
  status: 'ok' | 'past_due' | 'suspended';
  statements: StatementView[];
}

const STATEMENT_STATUS: Record<StatementView['status'], string> = {
  issued: 'charging',
  paid: 'paid',
  payment_failed: 'payment failed',
  awaiting_payment: 'awaiting payment',
};

function billingSection(b: HubBilling) {
  const standing =
    b.status === 'suspended'
      ? html`<p class="alert" role="alert">Sending is suspended: a payment is overdue. Replace your card to pay it and resume.</p>`
      : b.status === 'past_due'
        ? html`<p class="alert" role="alert">A payment failed. Replace your card before sending stops.</p>`
        : '';
  return html`<section class="card account" id="billing">
  <h2>Billing</h2>
  ${standing}
  <p>Card on file: ${b.card ?? 'none'} · <a href="/hub/billing/card">Replace card</a></p>
  ${
    b.statements.length > 0
      ? html`<table class="prices"><caption>Statements</caption>
    <thead><tr><th scope="col">Month</th><th scope="col">Status</th><th scope="col">Total</th></tr></thead>
    <tbody>${b.statements.map((s) => html`<tr><td>${s.period}</td><td>${STATEMENT_STATUS[s.status]}</td><td>${s.total} ${s.currency.toUpperCase()}</td></tr>`)}</tbody>
  </table>`
      : html`<p class="empty">No statements yet.</p>`
  }
</section>`;
}

export function accountDeletedPage(): string {
  return layout({
    title: 'Account deleted',
    brand: null,
    body: html`<section class="card">
  <h1>Your account was deleted</h1>
  <p class="lede">You are logged out, and the apps you used no longer have access to your numbers.</p>
</section>`,
  });
}
