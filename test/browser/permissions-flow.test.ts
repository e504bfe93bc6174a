import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { Permission } from '../../server/modules/permissions/permission.entity.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

/** `SCREENSHOT_DIR=docs/screenshots npx vitest run test/browser/permissions-flow.test.ts` refreshes the README's pictures. */
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;

/**
 * The partner's side, on another origin: a page that opens the hub in a 600×900 popup and a
 * callback page that hands its query string to the opener, as 360dialog's connect button does.
 */
function partnerSite(hubUrl: string, partnerId: string) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    res.setHeader('content-type', 'text/html');
    if (url.pathname === '/callback') {
      res.end(`<!doctype html><title>Done</title><script>
        window.opener && window.opener.postMessage(location.search, location.origin); window.close();
      </script>`);
      return;
    }
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const target = `${hubUrl}/dashboard/app/${partnerId}?state=visit-${url.searchParams.get('visit') ?? 1}&redirect_url=${encodeURIComponent(`${origin}/callback`)}`;
    res.end(`<!doctype html><title>Acme portal</title>
      <button id="connect">Connect WhatsApp</button><pre id="result"></pre>
      <script>
        window.results = [];
        window.addEventListener('message', (e) => {
          if (e.origin !== location.origin) return;
          window.results.push(e.data); document.getElementById('result').textContent = e.data;
        });
        document.getElementById('connect').onclick = () =>
          window.open(${JSON.stringify(target)}, 'hub', 'popup,width=600,height=900');
      </script>`);
  });
  return new Promise<{ url: string; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

describeInBrowser('the /permissions flow in Chromium, from a partner page on another origin', () => {
  const hub = useTestHub({}, { listen: true });
  let browser: Browser;
  let site: Awaited<ReturnType<typeof partnerSite>>;
  let partner: Partner;
  let shot = 0;

  const snap = async (page: Page, name: string) => {
    if (SCREENSHOT_DIR)
      await page.screenshot({
        path: path.join(SCREENSHOT_DIR, `${String(++shot).padStart(2, '0')}-${name}.png`),
      });
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    const em = hub.em();
    partner = (await partnerFactory(em, hub.deps, 'Acme SaaS')).partner;
    site = await partnerSite(hub.url, partner.id);
    const stored = await em.findOneOrFail(Partner, partner.id);
    stored.brandName = 'Acme Messaging';
    stored.allowedRedirectUrls = [`${site.url}/callback`];
    await em.flush();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('signs up, connects a sandbox number, grants it, and a second visit revokes it', async () => {
    const context = await browser.newContext();
    const portal = await context.newPage();
    const problems: string[] = [];
    context.on('weberror', (e) => problems.push(e.error().message));
    await portal.goto(site.url);

    // 1. The partner page opens the hub in a popup; the client signs up.
    const [popup] = await Promise.all([context.waitForEvent('page'), portal.click('#connect')]);
    await popup.waitForLoadState();
    await snap(popup, 'signup');
    await popup.getByLabel('Your name').fill('Ana Baker');
    await popup.getByLabel('Business name').fill('Sunrise Bakery');
    await popup.getByLabel('Email').fill('ana@sunrise.example');
    await popup.getByLabel('Password').fill('correct horse battery staple');
    await popup.getByRole('button', { name: 'Create account' }).click();
    await popup.getByRole('heading', { name: /Choose the numbers Acme Messaging may use/ }).waitFor();
    await snap(popup, 'no-numbers-yet');

    // 2. "Add a number" runs Embedded Signup (the sandbox dialog) and provisions the number.
    const addNumber = popup.getByRole('button', { name: 'Add a number' });
    await expect.poll(() => addNumber.isEnabled()).toBe(true);
    const [dialog] = await Promise.all([context.waitForEvent('page'), addNumber.click()]);
    await dialog.waitForLoadState();
    // The Cloud API button asks for no feature type; its neighbour asks for the business-app flow.
    expect(await dialog.getByLabel('Cloud API').isChecked()).toBe(true);
    expect(
      await popup.getByRole('button', { name: 'Connect your WhatsApp Business app number' }).count(),
    ).toBe(1);
    await dialog.getByLabel('Business name').fill('Sunrise Bakery');
    await dialog.getByLabel('Phone number').fill('+1 555 010 2020');
    await dialog.getByLabel('Display name').fill('Sunrise Bakery');
    await snap(dialog, 'embedded-signup');
    await dialog.getByRole('button', { name: 'Finish' }).click();
    const number = popup.getByRole('checkbox', { name: /\+15550102020/ });
    await number.waitFor({ timeout: 15_000 });
    expect(await number.isChecked()).toBe(true);
    await snap(popup, 'grant');

    // 3. Confirm: the popup redirects to the partner, whose page hands the result to the opener.
    await popup.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => portal.evaluate<number>('window.results.length')).toBe(1);
    const first = new URLSearchParams((await portal.evaluate<string>('window.results[0]'))!);
    expect(first.get('client')).toMatch(/^cli_/);
    expect(first.get('channels')).toMatch(/^\[chn_[0-9a-z]+\]$/);
    expect(first.get('revoked')).toBeNull();
    expect(first.get('state')).toBe('visit-1');
    const channelId = first.get('channels')!.slice(1, -1);
    expect(
      await hub.em().count(Permission, { partner: partner.id, channel: channelId, revokedAt: null }),
    ).toBe(1);
    await snap(portal, 'partner-received');

    // 4. A second visit (still logged in) unticks the number: revoked=[…].
    await portal.goto(`${site.url}/?visit=2`);
    const [again] = await Promise.all([context.waitForEvent('page'), portal.click('#connect')]);
    await again.waitForLoadState();
    const box = again.getByRole('checkbox', { name: /\+15550102020/ });
    expect(await box.isChecked()).toBe(true);
    await box.press('Space'); // keyboard only
    await snap(again, 'revoke');
    await again.getByRole('button', { name: 'Confirm' }).press('Enter');
    await expect.poll(() => portal.evaluate<number>('window.results.length')).toBe(1);
    const second = new URLSearchParams((await portal.evaluate<string>('window.results[0]'))!);
    expect(second.get('channels')).toBe('[]');
    expect(second.get('revoked')).toBe(`[${channelId}]`);
    expect(second.get('state')).toBe('visit-2');
    expect(problems).toEqual([]);
    await context.close();
  });
});
