import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { audit, screenshot } from '../support/axe.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { consoleUserFactory, signInOnPage } from '../support/console.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const WAIT = { timeout: 10_000 };

describeInBrowser('console: webhook endpoints, the delivery log, resend and recover, in Chromium', () => {
  // One attempt and no retries: a failing receiver makes a `failed` delivery at once.
  const hub = useTestHub({ WEBHOOK_RETRY_SCHEDULE: '0' }, { listen: true });
  let browser: Browser;
  let page: Page;
  let receiver: WebhookReceiver;
  let partnerId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    receiver = await WebhookReceiver.start();
    receiver.otherwiseRespond({ status: 500, body: 'receiver is down' });
    partnerId = (await partnerFactory(hub.em(), hub.deps, 'Acme SaaS')).partner.id;
  });
  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
  });

  /** The worker's turn: the test hub runs no worker of its own. */
  const drain = async () => {
    hub.clock.set(new Date());
    await hub.drainJobs();
  };

  it('creates an endpoint, sees a failed delivery with its attempt, resends it, and recovers since a time', async () => {
    hub.clock.set(new Date());
    const { email, password } = await consoleUserFactory(hub, partnerId, 'developer');
    await signInOnPage(page, hub.url, email, password);
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await page.getByText('No endpoints yet').waitFor(WAIT);
    expect(await audit(page)).toEqual([]);

    // Create: URL, a filter from the hub's catalogue, and the secret shown once.
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add an endpoint' });
    await dialog.getByLabel('URL').fill(`${receiver.url}/hooks`);
    await dialog.getByLabel('Description (optional)').fill('Orders backend');
    await dialog.getByLabel('Only the event types chosen below').check();
    await dialog.getByRole('checkbox', { name: 'ping' }).check(WAIT);
    await dialog.getByRole('checkbox', { name: 'client.created' }).check();
    expect(await audit(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = dialog.getByTestId('shown-once').first();
    await secret.waitFor(WAIT);
    const firstSecret = await secret.innerText();
    expect(firstSecret).toMatch(/^whsec_/);
    await screenshot(page, 'console-webhooks-01-endpoint-created');
    await dialog.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('row', { name: /Orders backend/ });
    await row.getByText('client.created, ping').waitFor(WAIT);

    // Send test: the worker tries it, the receiver answers 500, the endpoint shows as failing.
    await row.getByRole('button', { name: 'Send test to Orders backend' }).click();
    const result = page.getByRole('status').filter({ hasText: 'Test event to' });
    await result.getByText(/waiting for the first attempt/).waitFor(WAIT);
    await drain();
    await result.getByText('The endpoint answered 500').waitFor(WAIT);
    await row.getByText(/Failing since/).waitFor(WAIT);
    expect(await row.getAttribute('class')).toContain('row-failing');
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-webhooks-02-endpoint-failing');

    // The log: the failed delivery, marked by class, badge and words; searchable by status and type.
    await page.getByRole('link', { name: 'Webhook deliveries' }).click();
    const failed = page.getByRole('row', { name: /ping/ });
    await failed.getByText('Not delivered').waitFor(WAIT);
    expect(await failed.getAttribute('class')).toContain('row-failing');
    await page.getByLabel('Status').selectOption('succeeded');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No deliveries match').waitFor(WAIT);
    await page.getByLabel('Status').selectOption('failed');
    await page.getByLabel('Event type').selectOption('ping');
    await page.getByRole('button', { name: 'Search' }).click();
    await failed.waitFor(WAIT);
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-webhooks-03-delivery-log');

    // One delivery: the attempt with its status, body excerpt, duration and headers as sent.
    await failed.getByRole('link', { name: /^Details of the ping delivery/ }).click();
    await page.getByRole('heading', { name: 'Webhook delivery', level: 1 }).waitFor(WAIT);
    const first = page.getByRole('listitem').filter({ hasText: 'Attempt 1' });
    await first.getByText('HTTP 500').waitFor(WAIT);
    expect(await first.getByTestId('response-status').innerText()).toBe('500');
    expect(await first.getByTestId('response-body').innerText()).toBe('receiver is down');
    expect(await first.getByTestId('duration').innerText()).toMatch(/^\d+ ms$/);
    await first.getByText('Request headers', { exact: true }).click();
    const signature = first.getByRole('row', { name: /webhook-signature/ });
    expect(await signature.innerText()).toContain(String(receiver.requests[0]!.headers['webhook-signature']));
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-webhooks-04-delivery-failed');

    // The receiver recovers: resend by hand, and the delivery is delivered.
    receiver.otherwiseRespond({ status: 200, body: 'thanks' });
    await page.getByRole('button', { name: /^Resend delivery/ }).click();
    await page.getByText('Resent: 200, succeeded').waitFor(WAIT);
    await page
      .getByRole('listitem')
      .filter({ hasText: 'Attempt 2' })
      .getByText('Resent by hand')
      .waitFor(WAIT);
    await page.getByText('Delivered.').waitFor(WAIT);
    await screenshot(page, 'console-webhooks-05-delivery-resent');

    // Recover since a time: a second failure is requeued, then delivered by the worker.
    receiver.otherwiseRespond({ status: 500, body: 'down again' });
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await page
      .getByRole('row', { name: /Orders backend/ })
      .getByRole('button', { name: 'Send test to Orders backend' })
      .click();
    // Drained only once the ping is recorded (the mutation answered), or there is nothing to send.
    await result.getByText(/waiting for the first attempt/).waitFor(WAIT);
    await drain();
    await result.getByText('The endpoint answered 500').waitFor(WAIT);
    receiver.otherwiseRespond({ status: 200, body: 'ok' });
    await page.getByRole('link', { name: 'Webhook deliveries' }).click();
    const recover = page.getByRole('region', { name: 'Recover failed deliveries' });
    await recover.getByRole('button', { name: 'Recover' }).click();
    const progress = recover.getByRole('status');
    await progress.getByText('Re-queued 1 delivery.').waitFor(WAIT);
    await drain();
    await progress.getByText(/Every one has been attempted again/).waitFor({ timeout: 15_000 });
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-webhooks-06-recovered');
    await expect.poll(() => page.getByText('Not delivered').count(), WAIT).toBe(0);
    expect(receiver.requests.at(-1)!.path).toBe('/hooks');

    // Edit the filter, rotate with an overlap window, disable and enable again.
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    const endpoint = page.getByRole('row', { name: /Orders backend/ });
    await endpoint.getByRole('button', { name: 'Edit events of Orders backend' }).click(WAIT);
    const events = page.getByRole('dialog', { name: 'Events to send' });
    await events.getByLabel(/^Every event type/).check();
    await events.getByRole('button', { name: 'Save events' }).click();
    await endpoint.getByText('Every event type').waitFor(WAIT);
    await endpoint.getByRole('button', { name: 'Rotate secret of Orders backend' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate the signing secret' });
    await rotate.getByLabel('Overlap window').selectOption('3600');
    await rotate.getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = rotate.getByTestId('shown-once');
    await rotated.waitFor(WAIT);
    expect(await rotated.innerText()).toMatch(/^whsec_/);
    expect(await rotated.innerText()).not.toBe(firstSecret);
    await rotate.getByRole('button', { name: 'Done' }).click();
    await endpoint.getByText(/Old secret also signs until/).waitFor(WAIT);
    await endpoint.getByRole('button', { name: 'Disable Orders backend' }).click();
    await endpoint.getByText(/Nothing is sent: disabled by a partner user/).waitFor(WAIT);
    expect(await endpoint.getAttribute('class')).toContain('row-disabled');
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-webhooks-07-endpoint-disabled');
    await endpoint.getByRole('button', { name: 'Enable Orders backend' }).click();
    await endpoint.getByRole('button', { name: 'Disable Orders backend' }).waitFor(WAIT);
  }, 60_000);

  it('a viewer sees endpoints, the log and attempts, but no button that writes', async () => {
    const { email, password } = await consoleUserFactory(hub, partnerId, 'viewer');
    const viewer = await browser.newContext();
    const p = await viewer.newPage();
    await signInOnPage(p, hub.url, email, password);
    await p.goto(`${hub.url}/console/webhooks`);
    await p.getByRole('row', { name: /Orders backend/ }).waitFor(WAIT);
    for (const name of ['Add endpoint', /^Send test/, /^Rotate/, /^Disable/, /^Edit events/])
      expect(await p.getByRole('button', { name }).count()).toBe(0);
    await p.goto(`${hub.url}/console/webhooks/deliveries`);
    await p.getByRole('row', { name: /ping/ }).first().waitFor(WAIT);
    expect(await p.getByRole('button', { name: /^Resend/ }).count()).toBe(0);
    expect(await p.getByRole('region', { name: 'Recover failed deliveries' }).count()).toBe(0);
    await p
      .getByRole('link', { name: /^Details of the ping delivery/ })
      .first()
      .click();
    await p.getByRole('heading', { name: /^Attempt 1: HTTP 500/ }).waitFor(WAIT);
    expect(await p.getByRole('button', { name: /^Resend/ }).count()).toBe(0);
    await viewer.close();
  });
});
