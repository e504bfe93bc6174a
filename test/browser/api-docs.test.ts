import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { partnerApiOperations } from '../../server/api/operations/index.ts';
import { whathooksOperations } from '../../server/whathooks/operations.ts';
import { audit } from '../support/axe.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { partnerFactory } from '../support/factories.ts';
import { serveOnLoopback } from '../support/http-server.ts';
import { useTestHub } from '../support/hub.ts';
import { partnerWithChannel } from '../support/scenarios.ts';

const hub = useTestHub();

/** Swagger UI's Authorize dialog: the token into the first scheme (bearer), then close it. */
async function authorize(page: Page, token: string) {
  await page
    .getByRole('button', { name: /authorize/i })
    .first()
    .click();
  await page.locator('.auth-container input').first().fill(token);
  await page.locator('.auth-btn-wrapper button.authorize').first().click();
  await page.locator('.btn-done').first().click();
}

describeInBrowser('/docs in a real browser', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveOnLoopback>>;

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await serveOnLoopback(hub.app);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders every operation under the default CSP, loads nothing from elsewhere, and can call the API', async () => {
    const { partner, token } = await partnerWithChannel(hub);
    const page = await browser.newPage();
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on(
      'request',
      (r) => !r.url().startsWith(server.url) && !r.url().startsWith('data:') && foreign.push(r.url()),
    );

    await page.goto(`${server.url}/docs`);
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBe(partnerApiOperations.length);

    // Authorize with a bearer token and run GET /partners/{partner_id} from the page.
    await authorize(page, token);
    const op = page.locator('#operations-Partners-getPartner');
    await op.locator('.opblock-summary').click();
    await op.getByRole('button', { name: /try it out/i }).click();
    await op.locator('input[placeholder="partner_id"]').fill(partner.id);
    await op.getByRole('button', { name: /execute/i }).click();
    await op.locator('.live-responses-table tbody .response-col_status').first().waitFor();
    expect(
      await op.locator('.live-responses-table tbody .response-col_status').first().innerText(),
    ).toContain('200');
    expect(await op.locator('.live-responses-table .microlight').first().innerText()).toContain(partner.id);

    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });
});

describeInBrowser('/docs with the whathooks-compatible API served', () => {
  const v1Hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' }, { listen: true });
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('switches from the partner API to /v1 in its menu and calls /v1 with a partner token', async () => {
    const { token } = await partnerFactory(v1Hub.em(), v1Hub.deps, 'Docs reader');
    // axe is injected for the audit only; the page keeps its CSP otherwise.
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(`${v1Hub.url}/docs`);
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBe(partnerApiOperations.length);

    await page.getByLabel(/select a definition/i).selectOption({ label: 'whathooks-compatible (/v1)' });
    await expect.poll(() => page.locator('.opblock').count()).toBe(whathooksOperations.length);
    // The menu's top bar is the standalone layout's own: it meets the same bar as every page.
    expect(await audit(page)).toEqual([]);

    await authorize(page, token);
    const op = page.locator('#operations-whathooks-compatible-whathooksListSessions');
    await op.locator('.opblock-summary').click();
    await op.getByRole('button', { name: /try it out/i }).click();
    await op.getByRole('button', { name: /execute/i }).click();
    const status = op.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor();
    expect(await status.innerText()).toContain('200');
    expect(await op.locator('.live-responses-table .microlight').first().innerText()).toContain('"sessions"');
    expect(problems).toEqual([]);
  });
});
