import type { PaymentModel } from '../../shared/statuses.ts';
import { layout } from '../hosted/views/layout.ts';
import { html } from '../http/html.ts';

const MODELS: { value: PaymentModel; label: string; hint: string }[] = [
  {
    value: 'partner',
    label: 'Partner Payment',
    hint: 'The partner pays for its clients’ messages: a client signs up and connects a number, no card asked.',
  },
  {
    value: 'direct',
    label: 'Direct Payment',
    hint: 'Each client pays the provider: after sign-up the connect popup shows the price page, and the client accepts the terms and enters a card before adding a number. Sandbox test card: 4242 4242 4242 4242, any future date, any CVC.',
  },
];

/** The switch: an operator's setting in a real hub, played here by the demo. */
export function paymentModelSection(model: PaymentModel) {
  return html`<section class="card">
  <h2>Who pays for messaging</h2>
  <fieldset class="plain" id="payment-model">
    <legend>Payment model of the demo partner</legend>
    ${MODELS.map(
      (
        m,
      ) => html`<label class="check"><input type="radio" name="payment_model" value="${m.value}"${m.value === model ? html` checked` : ''} aria-describedby="model-${m.value}-hint">
    <span>${m.label}</span></label>
    <p class="hint" id="model-${m.value}-hint">${m.hint}</p>`,
    )}
  </fieldset>
  <p class="hint">The hub’s operator sets this per partner; clients keep the model they signed up under. Switching to
  Direct Payment publishes a demo price list (EUR, 10 % over Meta’s rates) and demo terms when none are in force;
  prices an operator published are kept.</p>
  <p id="billing-info" role="status" aria-live="polite"></p>
</section>`;
}

export function statementSection() {
  return html`<section class="card">
  <h2>4. Bill this month (Direct Payment)</h2>
  <p class="lede">Connect a number under Direct Payment (step 1), send a few messages (step 3): each delivered status
  carries Meta’s pricing, which the hub’s usage ledger counts. Then issue the month’s statement: the hub’s worker
  charges it to the client’s card (issued → paid), and the partner receives <code>statement.issued</code> and
  <code>payment.succeeded</code>.</p>
  <p class="hint">The hub issues last month’s statements on the 1st; the demo issues this month’s now, for its own
  partner only. A month is billed once: issuing again shows the same statement, and later traffic this month is not
  on it.</p>
  <button type="button" id="issue-statements">Issue this month’s statement</button>
  <p id="statement-result" role="status" aria-live="polite"></p>
  <table class="prices" id="statements" hidden>
    <caption>Statements (newest first)</caption>
    <thead><tr><th scope="col">Period</th><th scope="col">Billed</th><th scope="col">Lines</th><th scope="col">Status</th><th scope="col">Total</th></tr></thead>
    <tbody></tbody>
  </table>
</section>`;
}

export function demoTermsPage(): string {
  return layout({
    title: 'Demo terms of service',
    brand: { name: 'Acme Messaging (demo partner)', logoUrl: null },
    body: html`<section class="card"><h1>Demo terms of service</h1>
  <p>These are the sandbox demo’s terms, published by <a href="/demo">/demo</a> so that Direct Payment can be tried.
  They bind no one: no message reaches WhatsApp and no card is charged (the Stripe sandbox plays the payment provider).</p>
  <p>A hub’s operator publishes its real terms with <code>partner-hub billing terms publish</code>; a newer version
  replaces these.</p></section>`,
  });
}
