import type { Browser } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { partnerFactory } from '../support/factories.ts';
import { serveOnLoopback } from '../support/http-server.ts';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub();

it('/docs/connect-button is served with the hub’s security headers and linked from /docs', async () => {
  const res = await request(hub.app).get('/docs/connect-button');
  expect(res.status).toBe(200);
  expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.text).not.toMatch(/<script>[^<]/);
  const openapi = await request(hub.app).get('/api/v2/openapi.json');
  expect(openapi.body.info.description).toContain('/docs/connect-button');
  expect((await request(hub.app).get('/')).text).toContain('href="/docs/connect-button"');
});

describeInBrowser('the connect button generator in Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveOnLoopback>>;
  let partnerId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await serveOnLoopback(hub.app);
    partnerId = (await partnerFactory(hub.em(), hub.deps, 'Generator SaaS')).partner.id;
    const em = hub.em();
    const partner = await em.findOneOrFail(Partner, partnerId);
    partner.allowedRedirectUrls = ['https://app.example/hub-callback'];
    await em.flush();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('builds the /permissions URL and the snippets live, and the button opens the real page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(`${server.url}/docs/connect-button`);

    await page.getByLabel('Partner id').fill('not-a-partner');
    await expect.poll(() => page.locator('#partner_id-error').textContent()).toContain('ptn_');
    await page.getByLabel('Partner id').fill(partnerId);
    await expect.poll(() => page.locator('#partner_id-error').textContent()).toBe('');
    await page.getByLabel('Email (prefilled on the sign-up form)').fill('ana+shop@bakery.example');
    await page.getByLabel('Number (digits with the country code)').fill('15550001111');
    await page.getByLabel('State (returned on your redirect)').fill('a b&c=d');
    await page
      .getByLabel('Redirect URL (on your allowed_redirect_urls)')
      .fill('https://app.example/hub-callback');
    await page.getByLabel('Open on').selectOption('signup');

    const expected = new URL(`/permissions/${partnerId}`, server.url);
    expected.searchParams.set('email', 'ana+shop@bakery.example');
    expected.searchParams.set('number', '15550001111');
    expected.searchParams.set('state', 'a b&c=d');
    expected.searchParams.set('redirect_url', 'https://app.example/hub-callback');
    expected.searchParams.set('next', 'signup');
    expect(await page.locator('#permissions-link').getAttribute('href')).toBe(expected.toString());

    const element = await page.locator('#snippet-element').textContent();
    expect(element).toContain(`partner-id="${partnerId}"`);
    expect(element).toContain('state="a b&amp;c=d"');
    expect(element).toContain(`<script src="${server.url}/client/connect.global.js"></script>`);
    const module = await page.locator('#snippet-module').textContent();
    expect(module).toContain(`partnerId: "${partnerId}"`);
    expect(module).toContain('email: "ana+shop@bakery.example"');
    const dialog = await page.locator('#snippet-360dialog').textContent();
    expect(dialog).toContain(`partnerId={"${partnerId}"}`);
    expect(dialog).toContain('requestedNumber={"15550001111"}');
    expect(dialog).toContain('state: "a b&c=d"');

    // The preview is the hub's own element: it opens this hub's /permissions with the parameters.
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Connect WhatsApp' }).click(),
    ]);
    await popup.waitForLoadState();
    const opened = new URL(popup.url());
    expect(opened.pathname).toBe(`/permissions/${partnerId}`);
    expect(Object.fromEntries(opened.searchParams)).toMatchObject({
      email: 'ana+shop@bakery.example',
      state: 'a b&c=d',
      next: 'signup',
    });
    expect(await popup.getByLabel('Email').inputValue()).toBe('ana+shop@bakery.example');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('renders hostile input inert: no dialog, no injected element, only text', async () => {
    const page = await browser.newPage();
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.goto(
      `${server.url}/docs/connect-button?partner_id=${encodeURIComponent('"><img src=x onerror=alert(1)>')}`,
    );
    const hostile = '"><img src=x onerror=alert(2)><script>alert(3)</script>\'';
    for (const label of [
      'Email (prefilled on the sign-up form)',
      'Name (the business)',
      'State (returned on your redirect)',
    ]) {
      await page.getByLabel(label).fill(hostile);
    }
    await page.getByLabel('Partner payload (returned as partner)').fill('</code></pre><b id="pwned">x</b>');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#pwned').count()).toBe(0);
    expect(await page.locator('main script').count()).toBe(0);
    expect(await page.locator('#snippet-element').textContent()).toContain('name="&quot;&gt;&lt;img');
    expect(await page.locator('#snippet-module').textContent()).toContain(JSON.stringify(hostile));
    expect(await page.locator('#partner_id-error').textContent()).toContain('ptn_');
    expect(dialogs).toBe(0);
    await page.close();
  });
});
