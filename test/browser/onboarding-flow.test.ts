import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;

describeInBrowser('an onboarding session completed in Chromium through the sandbox', () => {
  const hub = useTestHub({}, { listen: true });
  let browser: Browser;
  let partnerSite: http.Server;
  let siteUrl: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    partnerSite = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Welcome back</title>'),
    );
    await new Promise<void>((r) => partnerSite.listen(0, '127.0.0.1', r));
    siteUrl = `http://127.0.0.1:${(partnerSite.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    partnerSite?.close();
  });

  it('opens the co-branded page, runs Embedded Signup, and lands on the success URL with the ids', async () => {
    const em = hub.em();
    const created = await partnerFactory(em, hub.deps, 'Acme SaaS');
    const partner = await em.findOneOrFail(Partner, created.partner.id);
    partner.brandName = 'Acme Messaging';
    partner.allowedRedirectUrls = [`${siteUrl}/done`];
    await em.flush();
    const session = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/onboarding_sessions`)
      .set(bearer(created.token))
      .send({
        tenant_id: 'tenant-42',
        tenant_name: 'Sunrise Bakery',
        success_redirect_url: `${siteUrl}/done`,
      });
    expect(session.status).toBe(201);

    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    context.on('weberror', (e) => problems.push(e.error().message));
    await page.goto(session.body.onboarding_url);
    await page.getByRole('heading', { name: 'Connect WhatsApp for Sunrise Bakery' }).waitFor();
    expect(await page.textContent('.brand-name')).toBe('Acme Messaging');
    // Visiting the link opens nothing; Start does (a scanner fetching the URL never presses it).
    await page.getByRole('button', { name: 'Start' }).click();
    if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, '07-onboarding.png') });

    const connect = page.getByRole('button', { name: 'Connect WhatsApp' });
    await expect.poll(() => connect.isEnabled()).toBe(true);
    const [dialog] = await Promise.all([context.waitForEvent('page'), connect.click()]);
    await dialog.getByLabel('Business name').fill('Sunrise Bakery');
    await dialog.getByLabel('Phone number').fill('+1 555 010 4242');
    await dialog.getByLabel('Display name').fill('Sunrise Bakery');
    await dialog.getByRole('button', { name: 'Finish' }).click();

    await page.waitForURL(`${siteUrl}/done?**`, { timeout: 15_000 });
    const landed = new URL(page.url());
    expect(landed.searchParams.get('session_id')).toBe(session.body.id);
    expect(landed.searchParams.get('status')).toBe('completed');
    const channel = await hub.em().findOneOrFail(Channel, landed.searchParams.get('channel_id')!);
    expect(channel).toMatchObject({ phoneNumber: '15550104242', status: 'live' });
    expect(problems).toEqual([]);

    // The link is spent.
    await page.goto(session.body.onboarding_url);
    await page.getByRole('heading', { name: 'This link was already used' }).waitFor();
    await context.close();
  });

  it('a coexistence-only link offers the WhatsApp Business app flow, which the dialog opens preselected', async () => {
    const created = await partnerFactory(hub.em(), hub.deps, 'Acme SaaS');
    const session = await request(hub.app)
      .post(`/api/v2/partners/${created.partner.id}/onboarding_sessions`)
      .set(bearer(created.token))
      .send({ tenant_id: 'tenant-43', tenant_name: 'Corner Shop', connection_types: ['coexistence'] });
    expect(session.status).toBe(201);

    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    context.on('weberror', (e) => problems.push(e.error().message));
    await page.goto(session.body.onboarding_url);
    await page.getByRole('button', { name: 'Start' }).click();
    const connect = page.getByRole('button', { name: 'Connect your WhatsApp Business app number' });
    await expect.poll(() => connect.isEnabled()).toBe(true);
    // Only the kind of number the link allows is offered.
    expect(await page.getByRole('button', { name: 'Connect WhatsApp', exact: true }).count()).toBe(0);
    await page.getByText('open the app at least every 13 days').waitFor();

    const [dialog] = await Promise.all([context.waitForEvent('page'), connect.click()]);
    // FB.login carried extras.featureType, so the dialog starts on the business-app flow.
    expect(await dialog.getByLabel('WhatsApp Business app (coexistence)').isChecked()).toBe(true);
    await dialog.getByLabel('Business name').fill('Corner Shop');
    await dialog.getByLabel('Phone number').fill('+1 555 010 4343');
    await dialog.getByLabel('Display name').fill('Corner Shop');
    await dialog.getByRole('button', { name: 'Finish' }).click();

    // Without a success URL the page ends with the hub's message, and the buttons are spent.
    await expect.poll(() => connect.isDisabled(), { timeout: 15_000 }).toBe(true);
    expect(await page.textContent('#add-number-status')).toBe('Done: your number is connected to Acme SaaS.');
    const channel = await hub.em().findOneOrFail(Channel, { phoneNumber: '15550104343' });
    expect(channel.connectionType).toBe('coexistence');
    expect(problems).toEqual([]);
    await context.close();
  });
});
