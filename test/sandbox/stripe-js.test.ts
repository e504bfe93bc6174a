import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPaymentGateway, type PaymentGateway } from '../../server/payments/payment-gateway.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { useTestHub } from '../support/hub.ts';

describeInBrowser('the Stripe.js stand-in in Chromium (card element, confirmSetup, 3-D Secure)', () => {
  const hub = useTestHub({}, { listen: true });
  let browser: Browser;
  let site: http.Server;
  let siteUrl: string;
  let gateway: PaymentGateway;

  beforeAll(async () => {
    browser = await launchBrowser();
    gateway = createPaymentGateway(hub.deps.config.payments)!;
    // The partner's billing page, on another origin than the hub: Stripe.js calls the API across origins.
    site = http.createServer((req, res) => {
      const secret = new URL(req.url!, 'http://x').searchParams.get('secret') ?? '';
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><title>Billing</title>
        <script src="${gateway.jsUrl}"></script>
        <form id="f"><div id="card"></div><button id="save" disabled>Save card</button></form>
        <script>
          const stripe = Stripe(${JSON.stringify(gateway.publishableKey)});
          const elements = stripe.elements({ clientSecret: ${JSON.stringify(secret)} });
          const card = elements.create('payment');
          card.mount('#card');
          window.changes = [];
          card.on('change', (e) => { window.changes.push(e); document.querySelector('#save').disabled = !e.complete; });
          document.querySelector('#f').addEventListener('submit', async (e) => {
            e.preventDefault();
            const redirect = location.search.includes('mode=redirect') ? 'always' : 'if_required';
            window.result = await stripe.confirmSetup({ elements, confirmParams: { return_url: location.origin + '/done' }, redirect });
          });
        </script>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
  });

  async function billingPage(mode = ''): Promise<{ page: Page; setupIntentId: string }> {
    const { customerId } = await gateway.createCustomer({ partnerId: 'p1' }, `cus-${Math.random()}`);
    const { setupIntentId, clientSecret } = await gateway.createSetupIntent(
      customerId,
      `seti-${Math.random()}`,
    );
    const page = await browser.newPage();
    await page.goto(`${siteUrl}/?mode=${mode}&secret=${encodeURIComponent(clientSecret)}`);
    return { page, setupIntentId };
  }

  async function fill(page: Page, number: string) {
    await page.getByLabel('Card number').fill(number);
    await page.getByLabel('Expiry date (MM / YY)').fill(`12 / ${(new Date().getUTCFullYear() + 2) % 100}`);
    await page.getByLabel('Security code (CVC)').fill('123');
  }

  const result = (page: Page) =>
    page
      .waitForFunction(() => (globalThis as unknown as { result?: unknown }).result)
      .then((h) => h.jsonValue()) as Promise<{
      setupIntent?: { id: string; status: string; payment_method: string };
      error?: { type: string; code: string; decline_code?: string };
    }>;

  it('saves 4242 4242 4242 4242: complete fields enable the button, the intent succeeds', async () => {
    const { page, setupIntentId } = await billingPage();
    await fill(page, '4242 4242 4242 4242');
    expect(await page.locator('#save').isEnabled()).toBe(true);
    await page.locator('#save').click();
    const { setupIntent } = await result(page);
    expect(setupIntent).toMatchObject({ id: setupIntentId, status: 'succeeded' });
    expect(await gateway.setupIntentResult(setupIntentId)).toMatchObject({ status: 'succeeded' });
    await page.close();
  });

  it('resolves a decline as a card_error and shows its message', async () => {
    const { page } = await billingPage();
    await fill(page, '4000000000000002');
    await page.locator('#save').click();
    expect((await result(page)).error).toMatchObject({ type: 'card_error', code: 'card_declined' });
    expect(await page.getByRole('alert').textContent()).toBe('Your card was declined.');
    await page.close();
  });

  it('shows the 3-D Secure step: completing it saves the card, failing it is an error', async () => {
    const first = await billingPage();
    await fill(first.page, '4000002500003155');
    await first.page.locator('#save').click();
    await first.page.getByRole('dialog').getByRole('button', { name: 'Complete authentication' }).click();
    expect((await result(first.page)).setupIntent).toMatchObject({ status: 'succeeded' });
    await first.page.close();

    const second = await billingPage();
    await fill(second.page, '4000002500003155');
    await second.page.locator('#save').click();
    await second.page.getByRole('button', { name: 'Fail authentication' }).click();
    expect((await result(second.page)).error).toMatchObject({ code: 'setup_intent_authentication_failure' });
    expect(await gateway.setupIntentResult(second.setupIntentId)).toMatchObject({
      status: 'requires_payment_method',
    });
    await second.page.close();
  });

  it('without redirect: if_required, goes through the 3-D Secure page and back to return_url', async () => {
    const { page, setupIntentId } = await billingPage('redirect');
    await fill(page, '4000002500003155');
    await page.locator('#save').click();
    await page.waitForURL(/\/sandbox\/stripe\/3ds\//);
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    await page.waitForURL(/\/done\?/);
    const back = new URL(page.url());
    expect(back.searchParams.get('setup_intent')).toBe(setupIntentId);
    expect(back.searchParams.get('redirect_status')).toBe('succeeded');
    expect(await gateway.setupIntentResult(setupIntentId)).toMatchObject({ status: 'succeeded' });
    await page.close();
  });

  it('keeps the button off while the card is incomplete', async () => {
    const { page } = await billingPage();
    await page.getByLabel('Card number').fill('4242 4242');
    const last = await page.evaluate(() =>
      (globalThis as unknown as { changes: { complete: boolean }[] }).changes.at(-1),
    );
    expect(last).toMatchObject({ complete: false });
    expect(await page.locator('#save').isDisabled()).toBe(true);
    await page.close();
  });
});
