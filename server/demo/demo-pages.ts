import type { PaymentModel } from '../../shared/statuses.ts';
import { layout } from '../hosted/views/layout.ts';
import { html } from '../http/html.ts';
import { PRICING_CATEGORIES } from '../sandbox/webhooks/payloads.ts';
import { paymentModelSection, statementSection } from './demo-billing-pages.ts';

const DEMO_BRAND = { name: 'Acme Messaging (demo partner)', logoUrl: null };

export function demoPage(p: {
  hubUrl: string;
  partnerId: string;
  paymentModel: PaymentModel;
  linkedDevices: boolean;
}): string {
  return layout({
    title: 'Partner Hub demo',
    brand: DEMO_BRAND,
    body: html`<section class="card">
  <h1>Partner Hub demo</h1>
  <p class="lede">This page plays a partner’s portal and backend (partner <code>${p.partnerId}</code>) against this hub in
  sandbox mode: nothing reaches Meta. Follow the steps; every webhook the partner receives appears at the bottom, live.</p>
</section>
${paymentModelSection(p.paymentModel)}
<section class="card">
  <h2>1. Connect a client’s WhatsApp number</h2>
  <p class="lede">The connect button opens the hosted permission page in a popup: sign up as the business, “Add a number”
  (the sandbox Embedded Signup), tick it, Confirm.</p>
  <partner-hub-connect hub-url="${p.hubUrl}" partner-id="${p.partnerId}" redirect-url="${p.hubUrl}/demo/callback" state="demo">Connect WhatsApp</partner-hub-connect>
  <p id="connect-result" role="status" aria-live="polite"></p>
</section>
<section class="card">
  <h2>2. Or onboard a tenant with a one-time link</h2>
  <button type="button" id="create-onboarding">Create an onboarding link</button>
  <p id="onboarding-result" role="status" aria-live="polite"></p>
</section>
${p.linkedDevices ? linkedDeviceSection() : ''}
<section class="card">
  <h2>3. Send a message, get the reply, have a template approved</h2>
  <p class="lede">Mints a channel API key, sets the channel webhook, sends through <code>/waba/messages</code>; the sandbox
  then plays the customer and replies through Meta’s webhook and the hub’s relay.</p>
  <label for="send-to">Customer number</label>
  <input id="send-to" type="text" value="+4915112345678">
  <label for="send-text">Message</label>
  <input id="send-text" type="text" value="Hello from the demo">
  <label for="send-category">Pricing category Meta reports on delivery</label>
  <select id="send-category">${PRICING_CATEGORIES.map(
    (c) =>
      html`<option value="${c}"${c === 'marketing' ? html` selected` : ''}>${c}${c === 'service' ? ' (free)' : ''}</option>`,
  )}</select>
  <p class="hint">The sandbox plays Meta’s “delivered” status with this category; the hub counts billable ones for
  the statements (step 4). Real Meta decides it: templates bill by their category, replies in the customer service
  window are <code>service</code>, free.</p>
  <ul class="channels" id="channels"><li class="empty">No channel yet: do step 1 or 2.</li></ul>
  <p class="lede">“Submit a template” creates a message template through <code>/waba/v1/configs/templates</code>; the sandbox
  plays Meta’s review and approves it, and the partner receives <code>template.status_updated</code>. A number connected
  with “Connect your WhatsApp Business app number” (coexistence) can also “Reply from the WhatsApp Business app”: the
  business writes from its phone, and the channel webhook receives the echo.</p>
</section>
${statementSection()}
<section class="card">
  <h2>What the partner receives</h2>
  <ol id="feed" class="feed" aria-live="polite"></ol>
</section>`,
    scripts: [`${p.hubUrl}/client/connect.global.js`, '/demo/assets/demo.js', '/demo/assets/demo-billing.js'],
  });
}

export function demoCallbackPage(): string {
  return layout({
    title: 'Connected',
    brand: DEMO_BRAND,
    body: html`<section class="card"><h1>Connected</h1><p>You can close this window.</p></section>`,
    scripts: ['/client/connect.global.js', '/demo/assets/callback.js'],
  });
}

export function demoOnboardedPage(query: Record<string, string>): string {
  return layout({
    title: 'Onboarding finished',
    brand: DEMO_BRAND,
    body: html`<section class="card"><h1>Back at the partner: ${query.status ?? 'unknown'}</h1>
  <pre>${JSON.stringify(query, null, 2)}</pre><p><a href="/demo">Back to the demo</a></p></section>`,
  });
}

/** Step 2b, with LINKED_DEVICES_ENABLED: a number paired by QR code, beside the Cloud API ones. */
function linkedDeviceSection() {
  return html`<section class="card">
  <h2>2b. Or link a device by QR code (unofficial)</h2>
  <p class="lede">A linked-device number is paired like WhatsApp Web, over an <strong>unofficial</strong> connection
  that WhatsApp can ban numbers for. The partner creates a session for its client through the partner API and shows
  the QR code; here the sandbox plays the phone scanning it. The number then sends and receives in step 3 through the
  same channel-key API as a Cloud API number.</p>
  <button type="button" id="create-linked-device">Link a device for the client</button>
  <ul class="channels" id="linked-devices"><li class="empty">No linked-device session yet.</li></ul>
</section>`;
}
