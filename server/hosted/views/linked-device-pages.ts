import { html, type SafeHtml } from '../../http/html.ts';
import type { PairingState } from '../linked-device-pairing.ts';
import { type Brand, layout } from './layout.ts';

/** Said before the client starts, and again beside the code: the risk is the client's to take. */
export function riskNotice(id: string): SafeHtml {
  return html`<p class="notice risk" id="${id}"><strong>Unofficial connection.</strong> This links your phone as a device over WhatsApp Web. It is not Meta's WhatsApp Business API, and WhatsApp can ban numbers used this way. Use it only if you accept that risk.</p>`;
}

/**
 * "Link a device (unofficial)" next to Embedded Signup: the risk notice, an optional phone number
 * (for a pairing code instead of a QR code), and the button that creates the session.
 */
export function linkedDeviceOffer(p: {
  actionUrl: string;
  csrfToken: string;
  hidden?: SafeHtml;
  error?: string | undefined;
}): SafeHtml {
  return html`<section class="linked-device" aria-labelledby="ld-offer-title">
  <h2 id="ld-offer-title">Link a device (unofficial)</h2>
  ${riskNotice('ld-risk')}
  ${p.error ? html`<p class="alert" role="alert" id="ld-error">${p.error}</p>` : ''}
  <form method="post" action="${p.actionUrl}">
    <input type="hidden" name="_csrf" value="${p.csrfToken}">
    ${p.hidden ?? ''}
    <label for="ld-phone">Phone number (optional)</label>
    <input id="ld-phone" name="phone_number" type="tel" autocomplete="tel" maxlength="32" aria-describedby="ld-phone-hint${p.error ? ' ld-error' : ''}">
    <p class="hint" id="ld-phone-hint">Leave empty to scan a QR code; with a number, you type a pairing code on that phone instead.</p>
    <div class="actions"><button type="submit" aria-describedby="ld-risk">Link a device</button></div>
  </form>
</section>`;
}

export interface PairingPageInput {
  brand: Brand;
  state: PairingState;
  csrfToken: string;
  statusUrl: string;
  restartUrl: string;
  /** Where the page posts once CONNECTED (by itself, or by Continue), to finish like Embedded Signup does. */
  doneUrl: string;
  /** Back to the page the client came from, to choose something else. */
  backUrl: string | null;
  hidden?: SafeHtml;
}

/**
 * The pairing page: the QR code (or pairing code) as it changes, the status in a live region,
 * and "Show a new code" once the codes ran out. linked-device.js polls `statusUrl`; without
 * scripts, reloading the page shows the same.
 */
export function pairingPage(p: PairingPageInput): string {
  const s = p.state;
  const body = html`<section class="card linked-device-pairing" data-status-url="${p.statusUrl}">
  <h1>Link your phone</h1>
  ${riskNotice('ld-risk')}
  <div class="pairing-code-box">
    <img id="ld-qr" width="264" height="264" alt="QR code to scan with WhatsApp on your phone"${s.qr_image ? html` src="${s.qr_image}"` : html` hidden`}>
    <p id="ld-code" class="pairing-code"${s.pairing_code ? '' : html` hidden`}><span class="visually-hidden">Pairing code: </span><span id="ld-code-value">${s.pairing_code ?? ''}</span></p>
  </div>
  <p id="ld-status" role="status" aria-live="polite" data-status="${s.status}">${s.message}</p>
  <form method="post" action="${p.restartUrl}" id="ld-restart"${s.can_restart ? '' : html` hidden`}>
    <input type="hidden" name="_csrf" value="${p.csrfToken}">
    ${p.hidden ?? ''}
    <button type="submit" class="primary">Show a new code</button>
  </form>
  <form method="post" action="${p.doneUrl}" id="ld-done"${s.status === 'CONNECTED' ? '' : html` hidden`}>
    <input type="hidden" name="_csrf" value="${p.csrfToken}">
    ${p.hidden ?? ''}
    <button type="submit" class="primary">Continue</button>
  </form>
  ${p.backUrl ? html`<p class="switch"><a href="${p.backUrl}">Back</a></p>` : ''}
</section>`;
  return layout({
    title: 'Link your phone',
    brand: p.brand,
    body,
    scripts: ['/hosted/assets/linked-device.js'],
  });
}
