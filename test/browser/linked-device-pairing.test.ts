import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { connectorFor } from '../../server/linked-devices/connector-for.ts';
import {
  playOnDevice,
  sendLinkedDeviceText,
} from '../../server/linked-devices/linked-device-actions.service.ts';
import { LinkedDeviceSession } from '../../server/linked-devices/linked-device-session.entity.ts';
import type { LinkedDeviceRunner } from '../../server/linked-devices/runner/session-runner.ts';
import { OnboardingSession } from '../../server/modules/onboarding/onboarding-session.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { Permission } from '../../server/modules/permissions/permission.entity.ts';
import { screenshot } from '../support/axe.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { onboardingSessionFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { readSession, sessionEvents, startTestRunner, waitForSession } from '../support/linked-devices.ts';

const axeSource: string = createRequire(import.meta.url)('axe-core').source;

/**
 * axe's serious and critical findings, run through the DevTools protocol (which the page's CSP
 * does not govern), so the flow itself runs under the page's real CSP.
 */
async function auditUnderCsp(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate<
    { id: string; impact: string | null; nodes: { target: string[] }[] }[]
  >('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)');
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describeInBrowser('linking a device on the permission page in Chromium (sandbox emulator)', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' }, { listen: true });
  let browser: Browser;
  let site: http.Server;
  let siteUrl: string;
  let partner: Partner;
  let runner: LinkedDeviceRunner | undefined;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    site = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Back at Acme</title>'),
    );
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    const em = hub.em();
    const created = await partnerFactory(em, hub.deps, 'Acme SaaS');
    partner = await em.findOneOrFail(Partner, created.partner.id);
    partner.brandName = 'Acme Messaging';
    partner.allowedRedirectUrls = [`${siteUrl}/callback`];
    await em.flush();
    page = await signUp();
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    site?.close();
  });

  const visit = (label: string) =>
    `${hub.url}/permissions/${partner.id}?state=${label}&redirect_url=${encodeURIComponent(`${siteUrl}/callback`)}`;

  /** A client signs up on the permission page, under its CSP (console errors include CSP reports). */
  async function signUp(): Promise<Page> {
    context = await browser.newContext();
    context.on('weberror', (e) => problems.push(e.error().message));
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(visit('signup'));
    await page.getByLabel('Your name').fill('Ana Baker');
    await page.getByLabel('Business name').fill('Sunrise Bakery');
    await page.getByLabel('Email').fill('ana@sunrise.example');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: /Choose the numbers Acme Messaging may use/ }).waitFor();
    return page;
  }

  /** The signed-in client opens the partner's link again: the grant step. */
  async function grantStep(label: string): Promise<Page> {
    await page.goto(visit(label));
    await page.getByRole('heading', { name: /Choose the numbers Acme Messaging may use/ }).waitFor();
    return page;
  }

  /** "Link a device" from the grant step; the session it made. */
  async function linkADevice(page: Page): Promise<LinkedDeviceSession> {
    await page.getByRole('button', { name: 'Link a device' }).press('Enter'); // keyboard only
    await page.getByRole('heading', { name: 'Link your phone' }).waitFor({ timeout: 10_000 });
    const id = /\/linked-devices\/(sess_[0-9a-z]+)/.exec(page.url())?.[1];
    expect(id).toBeDefined();
    return readSession(hub.em(), id!);
  }

  const qrSrc = (page: Page) => page.getByRole('img', { name: /QR code/ }).getAttribute('src');

  it('pairs by QR: the risk first, a real QR image, the statuses, back to the partner with the channel; then messages flow', async () => {
    runner = startTestRunner(hub);
    await grantStep('qr');
    const offer = page.getByRole('region', { name: 'Link a device (unofficial)' });
    expect(await offer.textContent()).toContain('WhatsApp can ban numbers used this way');
    expect(await auditUnderCsp(page)).toEqual([]);
    await offer.scrollIntoViewIfNeeded();
    await screenshot(page, 'linked-device-offer');

    const session = await linkADevice(page);
    expect(await page.locator('.notice.risk').textContent()).toContain("not Meta's WhatsApp Business API");
    const status = page.getByRole('status');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('Scan the QR code');
    const qr = page.getByRole('img', { name: 'QR code to scan with WhatsApp on your phone' });
    await qr.waitFor({ timeout: 5_000 });
    expect(await qrSrc(page)).toMatch(/^data:image\/png;base64,/);
    // A real image, decoded by the browser at its full size.
    expect(
      await page.evaluate<number>(
        "(() => { const i = document.getElementById('ld-qr'); return i.complete ? i.naturalWidth : 0 })()",
      ),
    ).toBe(264);
    expect(await auditUnderCsp(page)).toEqual([]);
    await screenshot(page, 'linked-device-qr');

    // The phone scans the code: the page sees CONNECTED and returns to the partner by itself.
    await playOnDevice(hub.deps, await readSession(hub.em(), session.id), {
      play: 'scan',
      phone_number: '4915112345678',
      name: 'Sunrise Bakery',
    });
    await page.waitForURL(`${siteUrl}/callback?**`, { timeout: 15_000 });
    const landed = new URL(page.url()).search.slice(1).split('&');
    expect(landed).toContain(`client=${session.client.id}`);
    expect(landed).toContain(`channels=[${session.channel.id}]`);
    expect(landed).toContain('state=qr');
    expect(await hub.em().count(Permission, { partner, channel: session.channel.id, revokedAt: null })).toBe(
      1,
    );
    const statuses = (await sessionEvents(hub, 'session.status', session.id)).map((d) => d.status);
    expect(statuses).toEqual(['PENDING', 'QR', 'CONNECTING', 'CONNECTED']);

    // Messages through the linked number: out through the device, in as the partner's message.received.
    const sent = await sendLinkedDeviceText(hub.deps, session.id, '+4917612345678', 'Your bread is ready');
    expect(sent.to).toBe('4917612345678');
    await playOnDevice(hub.deps, await readSession(hub.em(), session.id), {
      play: 'inbound',
      from: '4917612345678',
      text: 'On my way',
    });
    await expect
      .poll(
        async () =>
          (
            await query<{ n: number }>(
              hub.em(),
              `select count(*)::int n from webhook_events where type = 'message.received' and partner_id = ? and channel_id = ?`,
              [partner.id, session.channel.id],
            )
          )[0]!.n,
        { timeout: 5_000 },
      )
      .toBe(1);
    expect(problems).toEqual([]);
  });

  it('shows each new QR code as the emulator makes it', async () => {
    runner = startTestRunner(hub, {}, connectorFor(hub.deps, { qrRefreshMs: 700, qrCodeLimit: 40 }));
    await grantStep('refresh');
    const session = await linkADevice(page);
    await expect.poll(() => qrSrc(page), { timeout: 10_000 }).toMatch(/^data:image\/png;base64,/);
    const first = await qrSrc(page);
    const firstPayload = (await readSession(hub.em(), session.id)).qr;
    await expect.poll(() => qrSrc(page), { timeout: 10_000 }).not.toBe(first);
    expect((await readSession(hub.em(), session.id)).qr).not.toBe(firstPayload);
    expect(problems).toEqual([]);
  });

  it('offers "Show a new code" once the codes ran out, and shows a new one', async () => {
    runner = startTestRunner(hub, {}, connectorFor(hub.deps, { qrRefreshMs: 300, qrCodeLimit: 2 }));
    await grantStep('timeout');
    const session = await linkADevice(page);
    const again = page.getByRole('button', { name: 'Show a new code' });
    await again.waitFor({ timeout: 10_000 });
    expect(await page.getByRole('status').textContent()).toContain('The code expired');
    expect(await page.getByRole('img', { name: /QR code/ }).isHidden()).toBe(true);
    const timedOut = await readSession(hub.em(), session.id);
    expect(timedOut).toMatchObject({ status: 'DISCONNECTED', statusReason: 'qr_timeout', desired: 'idle' });
    expect(await auditUnderCsp(page)).toEqual([]);

    // The new code comes from a runner with WhatsApp's timings, so it stays long enough to see.
    await runner.stop();
    runner = startTestRunner(hub);
    await again.press('Enter');
    await waitForSession(hub, session.id, 'QR', (s) => !!s.qr);
    await expect.poll(() => qrSrc(page), { timeout: 10_000 }).toMatch(/^data:image\/png;base64,/);
    expect(problems).toEqual([]);
  });

  it('completes an onboarding session by a pairing code typed on the phone', async () => {
    runner = startTestRunner(hub);
    const { session: onboarding, urlToken } = await onboardingSessionFactory(hub.em(), partner, {
      tenantName: 'Corner Shop',
      successRedirectUrl: `${siteUrl}/done`,
    });
    const tenant = await context.newPage();
    await tenant.goto(`${hub.url}/onboard/${urlToken}`);
    expect(await tenant.getByRole('button', { name: 'Link a device' }).count()).toBe(0);
    await tenant.getByRole('button', { name: 'Start' }).click();
    const offer = tenant.getByRole('region', { name: 'Link a device (unofficial)' });
    expect(await offer.textContent()).toContain('WhatsApp can ban numbers used this way');
    await tenant.getByLabel('Phone number (optional)').fill('+49 151 2222 3333');
    await tenant.getByRole('button', { name: 'Link a device' }).click();
    await tenant.getByRole('heading', { name: 'Link your phone' }).waitFor({ timeout: 10_000 });
    const code = tenant.locator('#ld-code-value');
    await expect.poll(() => code.textContent(), { timeout: 10_000 }).toMatch(/^[A-Z0-9]{8}$/);
    expect(await tenant.getByRole('status').textContent()).toContain('Enter this code on your phone');
    expect(await tenant.getByRole('img', { name: /QR code/ }).isHidden()).toBe(true);
    expect(await auditUnderCsp(tenant)).toEqual([]);
    await screenshot(tenant, 'linked-device-pairing-code');

    const linked = await hub
      .em()
      .findOneOrFail(
        LinkedDeviceSession,
        { client: { externalId: onboarding.tenantId } },
        { populate: ['channel'] },
      );
    await playOnDevice(hub.deps, linked, {
      play: 'pairing_code',
      code: (await code.textContent())!,
      name: 'Corner Shop',
    });
    await tenant.waitForURL(`${siteUrl}/done?**`, { timeout: 15_000 });
    const landed = new URL(tenant.url()).searchParams;
    expect(landed.get('status')).toBe('completed');
    expect(landed.get('channel_id')).toBe(linked.channel.id);
    expect((await hub.em().findOneOrFail(OnboardingSession, onboarding.id)).status).toBe('completed');
    await tenant.close();
    expect(problems).toEqual([]);
  });
});
