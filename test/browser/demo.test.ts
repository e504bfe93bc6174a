import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { useTestHub } from '../support/hub.ts';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;

describeInBrowser('the /demo page in Chromium (sandbox mode)', () => {
  const hub = useTestHub({}, { listen: true });
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The test hub runs no worker: deliver what is due until the page shows `text`. */
  async function untilFeedShows(page: Page, text: string | RegExp) {
    await expect
      .poll(
        async () => {
          await hub.drainJobs();
          return page.locator('#feed').innerText();
        },
        { timeout: 15_000, interval: 300 },
      )
      .toMatch(text);
  }

  it('connects a number with the button, receives signed events, sends a message and shows the reply', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    context.on('weberror', (e) => problems.push(e.error().message));
    await page.goto(`${hub.url}/demo`);
    await page.getByRole('heading', { name: 'Partner Hub demo' }).waitFor();

    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Connect WhatsApp' }).click(),
    ]);
    await popup.getByLabel('Email').fill('demo-owner@sunrise.example');
    await popup.getByLabel('Password').fill('correct horse battery staple');
    await popup.getByRole('button', { name: 'Create account' }).click();
    const add = popup.getByRole('button', { name: 'Add a number' });
    await expect.poll(() => add.isEnabled()).toBe(true);
    const [dialog] = await Promise.all([context.waitForEvent('page'), add.click()]);
    await dialog.getByLabel('Business name').fill('Sunrise Bakery');
    await dialog.getByLabel('Phone number').fill('+1 555 010 7777');
    await dialog.getByLabel('Display name').fill('Sunrise Bakery');
    await dialog.getByRole('button', { name: 'Finish' }).click();
    await popup.getByRole('checkbox', { name: /\+15550107777/ }).waitFor({ timeout: 15_000 });
    // A second number that stays in the WhatsApp Business app (coexistence).
    const addApp = popup.getByRole('button', { name: 'Connect your WhatsApp Business app number' });
    await expect.poll(() => addApp.isEnabled()).toBe(true);
    const [appDialog] = await Promise.all([context.waitForEvent('page'), addApp.click()]);
    await appDialog.getByLabel('Business name').fill('Sunrise Bakery');
    await appDialog.getByLabel('Phone number').fill('+1 555 010 7778');
    await appDialog.getByLabel('Display name').fill('Sunrise Bakery Shop');
    await appDialog.getByRole('button', { name: 'Finish' }).click();
    const appNumber = popup.getByRole('checkbox', { name: /\+15550107778/ });
    await appNumber.waitFor({ timeout: 15_000 });
    await popup.getByRole('checkbox', { name: /\+15550107777/ }).check();
    await appNumber.check();
    await popup.getByRole('button', { name: 'Confirm' }).click();

    await expect
      .poll(() => page.locator('#connect-result').innerText())
      .toMatch(/^Granted: client cli_\w+, channels chn_\w+, chn_\w+/);
    await untilFeedShows(page, /permission\.granted/);
    const send = page.getByRole('button', { name: 'Send from +15550107777' });
    await send.waitFor({ timeout: 10_000 });
    await send.click();
    await untilFeedShows(page, /POST \/waba\/messages → 200/);
    await untilFeedShows(page, /Message from \+4915112345678: Thanks! \(re: Hello from the demo\)/);
    // The send's status line follows the reply, and its long message id stays inside the card.
    const item = page.locator('#channels li', { hasText: '+15550107777' });
    await expect.poll(() => item.innerText()).toMatch(/reply received/);
    expect(await item.innerText()).not.toMatch(/waiting for the reply/);
    // (Cast: a test imports React's types, whose DOM stubs lack the layout properties.)
    type Box = { scrollWidth: number; clientWidth: number };
    const fits = (li: unknown) => (li as Box).scrollWidth <= (li as Box).clientWidth;
    expect(await item.evaluate(fits)).toBe(true);
    // Every feed block scrolls by keyboard too.
    expect(await page.locator('#feed pre:not([tabindex="0"])').count()).toBe(0);
    // A template goes in PENDING; the sandbox approves it and the partner is told.
    await item.getByRole('button', { name: 'Submit a template' }).click();
    await expect.poll(() => item.innerText()).toMatch(/template \d+ PENDING/);
    await untilFeedShows(page, /template\.status_updated[\s\S]*"event": "APPROVED"/);
    // The coexistence number's business writes from its phone: the channel webhook gets the echo.
    const appItem = page.locator('#channels li', { hasText: '+15550107778' });
    await appItem.getByRole('button', { name: 'Reply from the WhatsApp Business app' }).click();
    await untilFeedShows(
      page,
      /Echo: the business wrote to \+4915112345678 from its WhatsApp Business app: Sent from the phone app/,
    );
    // Only coexistence numbers offer it.
    expect(await item.getByRole('button', { name: 'Reply from the WhatsApp Business app' }).count()).toBe(0);
    // Step 2: an onboarding link for a tenant, created by the demo backend through the SDK.
    await page.getByRole('button', { name: 'Create an onboarding link' }).click();
    const link = page.getByRole('link', { name: /Open the onboarding link/ });
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^${hub.url}/onboard/[A-Za-z0-9_-]+$`));
    // In a new tab: the demo keeps its live feed.
    expect(await link.getAttribute('target')).toBe('_blank');
    if (SCREENSHOT_DIR)
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, '08-demo.png'), fullPage: true });
    expect(await page.locator('#feed').innerText()).not.toMatch(/bad signature/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('switches to Direct Payment: the client pays by card on the price page, and the month’s statement is paid', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    context.on('weberror', (e) => problems.push(e.error().message));
    await page.goto(`${hub.url}/demo`);
    await page.getByRole('radio', { name: 'Direct Payment' }).check();
    // The switch publishes the demo's prices and terms first: slow on a loaded machine.
    await expect
      .poll(() => page.locator('#billing-info').innerText(), { timeout: 15_000, interval: 300 })
      .toMatch(
        /^Direct Payment\. In force: price list version 1 \(EUR, since \d{4}-\d\d-01\), terms version 1\./,
      );

    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Connect WhatsApp' }).click(),
    ]);
    await popup.getByLabel('Email').fill('demo-direct@sunrise.example');
    await popup.getByLabel('Password').fill('correct horse battery staple');
    await popup.getByRole('button', { name: 'Create account' }).click();
    await popup.getByRole('heading', { name: 'Prices and payment' }).waitFor();
    await popup.getByLabel('Card number').fill('4242 4242 4242 4242');
    await popup.getByLabel('Expiry date (MM / YY)').fill('12 / 34');
    await popup.getByLabel('Security code (CVC)').fill('123');
    await popup.getByRole('checkbox', { name: /I accept the terms of service/ }).check();
    await popup.getByRole('button', { name: 'Save card and continue' }).click();
    const add = popup.getByRole('button', { name: 'Add a number' });
    await expect.poll(() => add.isEnabled(), { timeout: 15_000 }).toBe(true);
    const [dialog] = await Promise.all([context.waitForEvent('page'), add.click()]);
    await dialog.getByLabel('Business name').fill('Sunrise Bakery');
    await dialog.getByLabel('Phone number').fill('+1 555 010 7779');
    await dialog.getByLabel('Display name').fill('Sunrise Bakery');
    await dialog.getByRole('button', { name: 'Finish' }).click();
    await popup.getByRole('checkbox', { name: /\+15550107779/ }).check({ timeout: 15_000 });
    await popup.getByRole('button', { name: 'Confirm' }).click();
    await expect
      .poll(() => page.locator('#connect-result').innerText(), { timeout: 15_000 })
      .toMatch(/^Granted: client cli_\w+/);

    // A marketing message to a German number: Meta's delivered status carries its pricing.
    const send = page.getByRole('button', { name: 'Send from +15550107779' });
    await send.waitFor({ timeout: 10_000 });
    // The feed is the demo's, shared with the first test: count this send's status.
    const delivered = page.locator('#feed li', {
      hasText: 'Status: delivered to +4915112345678 (marketing, billable)',
    });
    const before = await delivered.count();
    await send.click();
    await expect
      .poll(
        async () => {
          await hub.drainJobs();
          return delivered.count();
        },
        { timeout: 15_000, interval: 300 },
      )
      .toBe(before + 1);
    await page.getByRole('button', { name: 'Issue this month’s statement' }).click();
    await expect
      .poll(() => page.locator('#statement-result').innerText(), { timeout: 15_000 })
      .toMatch(/statement\(s\) issued/);
    const clientRow = page.locator('#statements tbody tr', { hasText: /cli_\w+/ });
    await expect
      .poll(
        async () => {
          await hub.drainJobs();
          return clientRow.innerText();
        },
        { timeout: 15_000, interval: 300 },
      )
      .toMatch(/1 × marketing DE at 0\.15015 = 0\.15\s+paid\s+0\.15 EUR/);
    await untilFeedShows(page, /payment\.succeeded/);
    expect(problems).toEqual([]);
    await context.close();
  });
});
