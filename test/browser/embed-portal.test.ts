import { randomInt } from 'node:crypto';
import express from 'express';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { audit, screenshot } from '../support/axe.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { partnerFactory } from '../support/factories.ts';
import { serveOnLoopback } from '../support/http-server.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';

/**
 * A partner's product on another origin (and another site: `localhost`, the hub being on
 * 127.0.0.1) embeds a client's portal: its backend mints a link per page view and the page
 * frames it through `<partner-hub-portal>`.
 */
describeInBrowser('embedded client portal, framed by a partner page on another origin', () => {
  const hub = useTestHub({}, { listen: true });
  let browser: Browser;
  let context: BrowserContext;
  let site: Awaited<ReturnType<typeof serveOnLoopback>>;
  let partnerOrigin: string;
  let partner: { id: string };
  let partnerToken: string;
  let clientId: string;
  let phone: string;

  async function mint(body: object = {}): Promise<string> {
    const res = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/clients/${clientId}/portal_links`)
      .set(bearer(partnerToken))
      .send(body);
    expect(res.status).toBe(201);
    return res.body.url;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const created = await partnerFactory(hub.em(), hub.deps, 'Acme SaaS');
    partner = created.partner;
    partnerToken = created.token;
    const onboarded = await onboardSandboxChannel(hub, created.partner);
    clientId = onboarded.client.id;
    phone = onboarded.channel.phoneNumber;

    const app = express();
    app.get('/', async (_req, res) => {
      const url = await mint();
      res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme SaaS: WhatsApp</title><link rel="icon" href="data:,"></head>
<body><h1>Acme SaaS settings</h1>
<script src="${hub.url}/embed/portal.js"></script>
<partner-hub-portal src-url="${url}" title="Your WhatsApp numbers" height="760px"></partner-hub-portal>
</body></html>`);
    });
    site = await serveOnLoopback(app);
    partnerOrigin = site.url.replace('127.0.0.1', 'localhost');
    const allowed = await request(hub.app)
      .patch(`/api/v2/partners/${partner.id}`)
      .set(bearer(partnerToken))
      .send({ allowed_redirect_urls: [`${partnerOrigin}/whatsapp/done`] });
    expect(allowed.status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function portalFrame(page: Page): Promise<Frame> {
    await expect
      .poll(() => page.frames().some((f) => f.url().startsWith(`${hub.url}/embed/portal/`)), {
        timeout: 10_000,
      })
      .toBe(true);
    return page.frames().find((f) => f.url().startsWith(`${hub.url}/embed/portal/`))!;
  }

  it('shows the client its number and health, revokes and re-grants, and adds a number through sandbox Embedded Signup', async () => {
    const page = await context.newPage();
    await page.goto(`${partnerOrigin}/`);
    const frame = await portalFrame(page);
    await frame.getByRole('heading', { name: 'Your WhatsApp numbers' }).waitFor({ timeout: 10_000 });
    // The token left the frame's address as soon as it was read.
    expect(frame.url()).toBe(`${hub.url}/embed/portal/${partner.id}`);
    const row = frame.getByRole('row', { name: new RegExp(phone) });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getByText('Healthy').isVisible()).toBe(true);
    await screenshot(page, 'console-embed-01-portal');

    await row.getByRole('button', { name: `Revoke Acme SaaS's access to ${phone}` }).click();
    await frame.getByText(`Acme SaaS can no longer use ${phone}.`).waitFor({ timeout: 10_000 });
    await row.getByRole('button', { name: `Grant Acme SaaS access to ${phone}` }).click();
    await frame.getByText(`Acme SaaS can now use ${phone}.`).waitFor({ timeout: 10_000 });
    const grants = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/channels`)
      .set(bearer(partnerToken));
    expect(grants.body.channels.map((c: { phone_number: string }) => c.phone_number)).toContain(phone);

    // Add a number: the portal opens /embed/signup, which runs the sandbox's Embedded Signup.
    const signupOpened = context.waitForEvent('page', { timeout: 10_000 });
    await frame.getByRole('button', { name: 'Add a number' }).click();
    const signup = await signupOpened;
    const continueButton = signup.getByRole('button', { name: 'Continue with Facebook' });
    await expect.poll(() => continueButton.isEnabled(), { timeout: 10_000 }).toBe(true);
    const dialogOpened = context.waitForEvent('page', { timeout: 10_000 });
    await continueButton.click();
    const dialog = await dialogOpened;
    await dialog.getByLabel('Business name').fill('Sunrise Bakery');
    const added = `+1 555 ${String(randomInt(0, 1e7)).padStart(7, '0')}`;
    await dialog.getByLabel('Phone number').fill(added);
    await dialog.getByLabel('Display name').fill('Sunrise Bakery');
    const bothClosed = Promise.all([dialog.waitForEvent('close'), signup.waitForEvent('close')]);
    await dialog
      .getByRole('button', { name: 'Finish' })
      .click()
      .catch((err) => {
        if (!dialog.isClosed()) throw err;
      });
    await bothClosed;
    await frame.getByText('Your number is connected.', { exact: false }).waitFor({ timeout: 10_000 });
    const digits = added.replaceAll(/\D/g, '');
    const newRow = frame.getByRole('row', { name: new RegExp(digits) });
    await newRow.waitFor({ timeout: 10_000 });
    await newRow.getByRole('button', { name: /^Grant Acme SaaS access/ }).click();
    await frame.getByText(/Acme SaaS can now use/).waitFor({ timeout: 10_000 });
    await screenshot(page, 'console-embed-02-number-added');
    await page.close();
  });

  it('a page on an origin the partner did not register cannot frame the portal', async () => {
    const page = await context.newPage();
    const url = await mint();
    const blocked: string[] = [];
    page.on('console', (m) => m.text().includes('frame-ancestors') && blocked.push(m.text()));
    await page.goto(`${site.url}/`); // 127.0.0.1: the same port, but not the registered origin
    await expect.poll(() => blocked.length, { timeout: 10_000 }).toBeGreaterThan(0);
    for (const frame of page.frames())
      expect(await frame.getByRole('heading', { name: 'Your WhatsApp numbers' }).count()).toBe(0);
    // The link minted for that page view was never exchanged: it still opens the portal.
    const direct = await context.newPage();
    await direct.goto(url);
    await direct.getByRole('heading', { name: 'Your WhatsApp numbers' }).waitFor({ timeout: 10_000 });
    await page.close();
    await direct.close();
  });

  it('the portal, a used link and the signup popup pass axe', async () => {
    const audited = await browser.newContext({ bypassCSP: true, viewport: { width: 1100, height: 900 } });
    const page = await audited.newPage();
    const url = await mint({ show_deliveries: true });
    await page.goto(url);
    await page.getByRole('heading', { name: 'Recent webhook deliveries' }).waitFor({ timeout: 10_000 });
    await page.getByRole('row', { name: new RegExp(phone) }).waitFor({ timeout: 10_000 });
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-embed-03-portal-with-deliveries');

    // A fresh load (from the same address, only a fragment apart, goto would only scroll).
    await page.goto('about:blank');
    await page.goto(url);
    await page.getByRole('heading', { name: 'This link cannot be opened' }).waitFor({ timeout: 10_000 });
    expect(await audit(page)).toEqual([]);

    await page.goto(`${hub.url}/embed/signup`);
    await page.getByRole('button', { name: 'Continue with Facebook' }).waitFor({ timeout: 10_000 });
    expect(await audit(page)).toEqual([]);
    await audited.close();
  });
});
