import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publishPriceList } from '../../server/modules/billing/price-lists.service.ts';
import { issueStatements } from '../../server/modules/billing/statements.service.ts';
import { audit, screenshot } from '../support/axe.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { consoleUserFactory, signInOnPage } from '../support/console.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel, TEST_ACTOR } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';
import { insertUsage } from '../support/usage-rows.ts';

const DAY_MS = 86_400_000;
const dayAgo = (n: number) => new Date(Date.now() - n * DAY_MS).toISOString().slice(0, 10);

describeInBrowser('console: the operator area, usage and billing, in Chromium', () => {
  const hub = useTestHub({}, { listen: true });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext({
      bypassCSP: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 800 },
    });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('an operator creates a partner (token shown once), suspends it, reads the health charts and finds the suspension in the audit log', async () => {
    const { email, password } = await consoleUserFactory(hub, null, 'operator');
    await signInOnPage(page, hub.url, email, password);
    await page.getByRole('heading', { name: 'Partners', level: 1 }).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Create partner' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a partner' });
    await dialog.getByLabel('Name').fill('Browser Made SaaS');
    await dialog.getByLabel('Redirect URL').fill('https://browser-made.example/done');
    await dialog.getByRole('button', { name: 'Create partner' }).click();
    const shown = dialog.getByTestId('shown-once');
    await shown.first().waitFor({ timeout: 10_000 });
    const [token, secret] = await shown.allInnerTexts();
    expect([token, secret]).toEqual([expect.stringMatching(/^hubp_/), expect.stringMatching(/^whsec_/)]);
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-operator-01-partner-created');
    await dialog.getByRole('button', { name: 'Done' }).click();
    // Shown once: the list never carries the token.
    const row = page.getByRole('row', { name: /Browser Made SaaS/ });
    await row.waitFor({ timeout: 10_000 });
    expect(await page.content()).not.toContain(token);
    const partnerId = await row.locator('code').first().innerText();
    const me = () => request(hub.app).get(`/api/v2/partners/${partnerId}`).set(bearer(token!));
    expect((await me()).status).toBe(200);

    await row.getByRole('button', { name: 'Suspend Browser Made SaaS' }).click();
    const confirm = page.getByRole('dialog', { name: 'Suspend Browser Made SaaS' });
    expect(await audit(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Suspend partner' }).click();
    await row.getByRole('button', { name: 'Unsuspend Browser Made SaaS' }).waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toMatch(/suspended/);
    const refused = await me();
    expect([refused.status, refused.body.error.code]).toEqual([403, 'partner_suspended']);
    await page.getByRole('searchbox', { name: 'Search by name' }).fill('browser made');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.getByRole('row').count(), { timeout: 10_000 }).toBe(2);
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-operator-02-partners');

    await page.getByRole('link', { name: 'System health' }).click();
    await page.getByRole('heading', { name: 'System health', level: 1 }).waitFor();
    const deliveries = page.getByRole('img', { name: /^Delivery attempts per minute/ });
    await deliveries.waitFor({ timeout: 10_000 });
    // uPlot is loaded with the first chart: its canvas follows the figure.
    await expect.poll(() => deliveries.locator('canvas').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.getByText('Show the figures as a table').nth(1).click();
    const table = page.getByRole('table', { name: 'Delivery attempts per minute' });
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBe(60);
    const jobs = page.getByRole('img', { name: /^Jobs over the last minutes/ }).locator('canvas');
    await expect.poll(() => jobs.count(), { timeout: 10_000 }).toBe(1);
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-operator-03-health');

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await page.getByLabel('Action', { exact: true }).fill('partner.suspended');
    await page.getByLabel('Partner id').fill(partnerId);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const entries = page.getByRole('table', { name: 'Audit entries, newest first' });
    await expect
      .poll(() => entries.locator('tbody tr').allInnerTexts(), { timeout: 10_000 })
      .toEqual([expect.stringMatching(/partner\.suspended[\s\S]*operator/)]);
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-operator-04-audit');
  });

  it('a partner user charts its usage, downloads it as CSV, and reads a statement’s lines', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps, 'Usage And Billing Co');
    const { channel } = await onboardSandboxChannel(hub, partner);
    const usage = [
      { day: dayAgo(3), category: 'marketing', country: 'US', messages: 120 },
      { day: dayAgo(3), category: 'utility', country: 'US', messages: 30 },
      { day: dayAgo(1), category: 'marketing', country: 'BR', messages: 50 },
      {
        day: dayAgo(1),
        category: 'service',
        country: '',
        messages: 12,
        billable: false,
        direction: 'inbound',
      },
      // Billed below, outside the page's default 30 days.
      { day: '2026-10-07', category: 'marketing', country: 'US', messages: 200 },
    ] as const;
    for (const row of usage)
      await insertUsage(hub.em(), { partnerId: partner.id, channelId: channel.id, ...row });
    await publishPriceList(
      hub.em(),
      hub.clock,
      {
        currency: 'usd',
        markup_percent: 0,
        effective_at: '2026-01-01T00:00:00Z',
        rates: [{ category: 'marketing', country: '*', meta_rate: '0.025' }],
      },
      TEST_ACTOR,
    );
    await issueStatements(hub.em(), hub.clock, '2026-10');
    await hub.drainJobs();

    const { email, password } = await consoleUserFactory(hub, partner.id, 'viewer');
    const own = await browser.newContext({
      bypassCSP: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 800 },
    });
    const p = await own.newPage();
    await signInOnPage(p, hub.url, email, password);
    await p.getByRole('link', { name: 'Usage' }).click();
    await p.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
    const chart = p.getByRole('img', { name: /^Messages per day by pricing category/ });
    await chart.waitFor({ timeout: 10_000 });
    expect(await chart.getAttribute('aria-label')).toContain('marketing: 170');
    await expect.poll(() => chart.locator('canvas').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await p.getByText('Show the figures as a table').click();
    const figures = p.getByRole('table', { name: 'Messages per day by pricing category' });
    expect(await figures.locator('tbody tr').count()).toBe(30);
    expect(await figures.getByRole('row', { name: new RegExp(dayAgo(3)) }).innerText()).toMatch(
      /120\s+0\s+30/,
    );
    expect(await audit(p)).toEqual([]);
    await screenshot(p, 'console-usage-01-chart');

    const [download] = await Promise.all([
      p.waitForEvent('download', { timeout: 10_000 }),
      p.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`usage-${dayAgo(29)}-to-${dayAgo(0)}.csv`);
    const csv = await readFile((await download.path())!, 'utf8');
    // Byte for byte what the REST API answers to Accept: text/csv for the same range.
    const rest = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/usage?from=${dayAgo(29)}&to=${dayAgo(0)}`)
      .set(bearer(token))
      .set('accept', 'text/csv');
    expect(rest.status).toBe(200);
    expect(csv).toBe(rest.text);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(5);
    expect(csv).toContain(`${dayAgo(3)},${channel.id},outbound,marketing,PMP,true,120,US`);

    await p.getByRole('link', { name: 'Billing' }).click();
    await p.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
    const statement = p.getByRole('row', { name: /2026-10/ });
    await statement.waitFor({ timeout: 10_000 });
    expect(await statement.innerText()).toMatch(/5\.00 USD[\s\S]*awaiting payment/);
    expect(await audit(p)).toEqual([]);
    await screenshot(p, 'console-billing-01-statements');
    await statement.getByRole('button', { name: /View the lines of the 2026-10 statement/ }).click();
    const lines = p.getByRole('table', { name: 'Priced lines of the 2026-10 statement' });
    await lines.waitFor({ timeout: 10_000 });
    expect(await lines.locator('tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/marketing\s+US\s+200\s+0\.025 USD\s+5\.00 USD/),
    ]);
    expect(await audit(p)).toEqual([]);
    await screenshot(p, 'console-billing-02-statement');
    await own.close();
  });
});
