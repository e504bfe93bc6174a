import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LinkedDeviceRunner } from '../../server/linked-devices/runner/session-runner.ts';
import { audit } from '../support/axe.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { useTestHub } from '../support/hub.ts';
import { startTestRunner } from '../support/linked-devices.ts';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;

describeInBrowser('the /demo page with linked devices on', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' }, { listen: true });
  let browser: Browser;
  let runner: LinkedDeviceRunner;

  beforeAll(async () => {
    browser = await launchBrowser();
    runner = startTestRunner(hub);
  });
  afterAll(async () => {
    await runner?.stop();
    await browser?.close();
  });

  /** The test hub runs no job worker: deliver what is due until the page shows `text`. */
  async function untilFeedShows(page: Page, text: string | RegExp) {
    await expect
      .poll(
        async () => {
          await hub.drainJobs();
          return page.locator('#feed').innerText();
        },
        { timeout: 20_000, interval: 300 },
      )
      .toMatch(text);
  }

  it('pairs a linked device by QR next to a Cloud API number; both send and receive through the key API', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    const problems: string[] = [];
    context.on('weberror', (e) => problems.push(e.error().message));
    await page.goto(`${hub.url}/demo`);
    await page
      .getByRole('heading', { name: /Or link a device by QR code \(unofficial\)/ })
      .waitFor({ timeout: 10_000 });

    // A client with a Cloud API number, through the connect button (as in the demo test).
    const [popup] = await Promise.all([
      context.waitForEvent('page', { timeout: 10_000 }),
      page.getByRole('button', { name: 'Connect WhatsApp' }).click(),
    ]);
    await popup.getByLabel('Email').fill('linked-owner@sunrise.example');
    await popup.getByLabel('Password').fill('correct horse battery staple');
    await popup.getByRole('button', { name: 'Create account' }).click();
    const add = popup.getByRole('button', { name: 'Add a number' });
    await expect.poll(() => add.isEnabled(), { timeout: 10_000 }).toBe(true);
    const [dialog] = await Promise.all([context.waitForEvent('page', { timeout: 10_000 }), add.click()]);
    await dialog.getByLabel('Business name').fill('Sunrise Bakery');
    await dialog.getByLabel('Phone number').fill('+1 555 010 8888');
    await dialog.getByLabel('Display name').fill('Sunrise Bakery');
    await dialog.getByRole('button', { name: 'Finish' }).click();
    await popup.getByRole('checkbox', { name: /\+15550108888/ }).check({ timeout: 15_000 });
    await popup.getByRole('button', { name: 'Confirm' }).click();
    await expect
      .poll(() => page.locator('#connect-result').innerText(), { timeout: 15_000 })
      .toMatch(/^Granted/);

    // The partner links a device for that client: a QR code, scanned by the sandbox phone.
    await page.getByRole('button', { name: 'Link a device for the client' }).click();
    const qr = page.getByRole('img', { name: /QR code to scan/ });
    await qr.waitFor({ timeout: 15_000 });
    expect(
      await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(100);
    expect(await audit(page)).toEqual([]);
    await page.getByRole('button', { name: 'Scan with the sandbox phone' }).click();
    await expect
      .poll(() => page.locator('#linked-devices').innerText(), { timeout: 15_000 })
      .toMatch(/CONNECTED .*\+4915100000099/);

    // Both numbers send through /waba/messages with their channel key, and get the reply.
    const linked = page.getByRole('button', { name: 'Send from +4915100000099 (linked device)' });
    await linked.click({ timeout: 15_000 });
    await untilFeedShows(page, /POST \/waba\/messages → 200/);
    await untilFeedShows(page, /Message from \+4915112345678: Thanks! \(re: Hello from the demo\)/);
    const cloud = page.getByRole('button', { name: 'Send from +15550108888' });
    await page.locator('#send-text').fill('Hello from the Cloud API');
    await cloud.click();
    await untilFeedShows(page, /Thanks! \(re: Hello from the Cloud API\)/);
    await untilFeedShows(page, /session\.status[\s\S]*"status": "CONNECTED"/);
    if (SCREENSHOT_DIR) {
      await page.locator('#linked-devices').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'demo-linked-device.png') });
    }
    expect(await page.locator('#feed').innerText()).not.toMatch(/bad signature|could not/);
    expect(problems).toEqual([]);
    await context.close();
  });
});
