import type { PriceListView, TermsView } from '../../../shared/schemas/billing.ts';
import { html } from '../../http/html.ts';
import type { Brand } from './layout.ts';
import { layout } from './layout.ts';

const CATEGORY_NAMES: Record<string, string> = {
  marketing: 'Marketing',
  utility: 'Utility',
  authentication: 'Authentication',
  authentication_international: 'Authentication (international)',
  service: 'Service',
};

export interface CardFormInput {
  publishableKey: string;
  jsUrl: string;
  clientSecret: string;
  /** Where the page posts the confirmed SetupIntent (JSON, with the CSRF token). */
  completeUrl: string;
  /** Where a card that needs a full-page redirect (3-D Secure outside a popup) comes back to. */
  returnUrl: string;
  csrfToken: string;
}

export interface PricePageInput extends CardFormInput {
  brand: Brand;
  terms: TermsView | null;
  priceList: PriceListView;
}

function priceTable(list: PriceListView) {
  const currency = list.currency.toUpperCase();
  return html`<table class="prices">
  <caption>Price per message in ${currency} (price list version ${String(list.version)}, in force since ${list.effective_at.slice(0, 10)})</caption>
  <thead><tr><th scope="col">Category</th><th scope="col">Recipient country</th><th scope="col">Price</th></tr></thead>
  <tbody>${list.rates.map(
    (r) =>
      html`<tr><td>${CATEGORY_NAMES[r.category] ?? r.category}</td><td>${r.country === '*' ? 'All other countries' : r.country}</td><td>${r.price} ${currency}</td></tr>`,
  )}</tbody>
</table>`;
}

function cardFields() {
  return html`<fieldset class="plain"><legend>Card</legend>
    <div id="payment-element" class="payment-element"></div>
  </fieldset>
  <p id="billing-error" class="alert" role="alert" hidden></p>`;
}

/**
 * Direct Payment's second page, after sign-up and before Embedded Signup: the prices that
 * apply, the terms to accept, and a card for the monthly statements. The card goes to the
 * payment provider from the browser (Stripe.js); the hub receives the SetupIntent's id only.
 */
export function pricePage(p: PricePageInput): string {
  const body = html`<section class="card">
  <h1>Prices and payment</h1>
  <p class="lede">${p.brand.name} connects your WhatsApp numbers; the messages you send are billed to you monthly, per message, at these prices.</p>
  ${priceTable(p.priceList)}
  <form id="billing-form" novalidate data-publishable-key="${p.publishableKey}" data-client-secret="${p.clientSecret}" data-complete-url="${p.completeUrl}" data-return-url="${p.returnUrl}" data-csrf-token="${p.csrfToken}" data-terms-version="${p.terms ? String(p.terms.version) : ''}" data-price-list-version="${String(p.priceList.version)}">
    ${cardFields()}
    <label class="check"><input type="checkbox" id="accept" name="accept" required aria-describedby="accept-hint">
      <span>I accept the ${p.terms ? html`<a href="${p.terms.url}" target="_blank" rel="noopener noreferrer">terms of service</a> (version ${String(p.terms.version)})` : 'terms of service'} and the price list above (version ${String(p.priceList.version)}).</span></label>
    <p class="hint" id="accept-hint">Required to continue. Your card is charged once a month for the previous month’s messages.</p>
    <div class="actions"><button class="primary" type="submit" id="billing-submit">Save card and continue</button></div>
  </form>
</section>`;
  return layout({
    title: 'Prices and payment',
    brand: p.brand,
    body,
    scripts: [p.jsUrl, '/hosted/assets/billing.js'],
  });
}

/** The client hub's "replace the card" page: the same card field, without the prices. */
export function replaceCardPage(p: CardFormInput & { current: string | null }): string {
  const body = html`<section class="card">
  <h1>Replace your card</h1>
  <p class="lede">${p.current ? `The card on file is ${p.current}.` : 'No card is on file.'} The new card is used for your next statement${' '}and for any statement whose payment failed.</p>
  <form id="billing-form" novalidate data-publishable-key="${p.publishableKey}" data-client-secret="${p.clientSecret}" data-complete-url="${p.completeUrl}" data-return-url="${p.returnUrl}" data-csrf-token="${p.csrfToken}">
    ${cardFields()}
    <div class="actions"><button class="primary" type="submit" id="billing-submit">Save card</button> <a href="/hub">Cancel</a></div>
  </form>
</section>`;
  return layout({
    title: 'Replace your card',
    brand: null,
    body,
    scripts: [p.jsUrl, '/hosted/assets/billing.js'],
  });
}
