import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { audit, screenshot } from '../support/axe.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { consoleUserFactory, signInOnPage } from '../support/console.ts';
import { clientFactory, onboardingSessionFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel } from '../support/sandbox.ts';

const REDIRECT = 'https://partner.example/onboarding/done';
const T = { timeout: 10_000 };

describeInBrowser('console: clients, numbers, onboarding links and sandbox tools, in Chromium', () => {
  const hub = useTestHub({}, { listen: true });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let partnerId: string;
  let channel: Channel;

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hub.url });
    page = await context.newPage();
    const created = await partnerFactory(hub.em(), hub.deps, 'Acme SaaS');
    token = created.token;
    partnerId = created.partner.id;
    await hub.trpc(token).partner.update({ allowed_redirect_urls: [REDIRECT] });
    ({ channel } = await onboardSandboxChannel(hub, created.partner));
    // As Meta's phone_number_quality_update would have set it.
    await hub.em().nativeUpdate(Channel, { id: channel.id }, { currentLimit: 'TIER_10K' });
    await clientFactory(hub.em(), created.partner, { name: 'Moonlight Florist', externalId: 'tenant-moon' });
    // More clients than one page holds (25), so the list needs "Load more".
    for (let i = 1; i <= 25; i++) await clientFactory(hub.em(), created.partner, { name: `Filler ${i}` });
    // A tenant who gave up in Embedded Signup at the phone number step.
    await onboardingSessionFactory(hub.em(), created.partner, {
      tenantId: 'tenant-left',
      tenantName: 'Left Bakery',
      status: 'opened',
      openedAt: new Date(),
      abandonedAt: new Date(),
      lastSignupEvent: {
        event: 'CANCEL',
        current_step: 'PHONE_NUMBER_SETUP',
        error_message: null,
        error_id: null,
        waba_id: null,
        phone_number_id: null,
        recorded_at: new Date().toISOString(),
      },
    });
    const { email, password } = await consoleUserFactory(hub, partnerId, 'developer');
    await signInOnPage(page, hub.url, email, password);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('finds a client by search, opens its number: health, quality, limit and grant history', async () => {
    await page.getByRole('link', { name: 'Clients', exact: true }).click();
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await page.getByText('25 clients shown').waitFor(T);
    expect(await page.getByRole('link', { name: 'Moonlight Florist' }).count()).toBe(0);
    expect(await audit(page)).toEqual([]);
    await page.getByRole('button', { name: 'Load more clients' }).click();
    await page.getByText('27 clients shown, all of them').waitFor(T);
    await page.getByRole('link', { name: 'Moonlight Florist' }).waitFor(T);
    expect(await page.getByRole('button', { name: 'Load more clients' }).count()).toBe(0);
    await page.getByRole('searchbox', { name: 'Search' }).fill('sunr');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Moonlight Florist' }).count(), T).toBe(0);
    await page.getByText('1 client shown').waitFor(T);
    await screenshot(page, 'console-clients-search');
    await page.getByRole('link', { name: 'Sunrise Bakery' }).click();
    await page.getByRole('heading', { name: 'Sunrise Bakery', level: 1 }).waitFor(T);
    const number = page.getByRole('link', { name: `+${channel.phoneNumber}` });
    await number.waitFor(T);
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-clients-client');

    await number.click();
    await page.getByRole('heading', { name: `+${channel.phoneNumber}`, level: 1 }).waitFor(T);
    const facts = page.getByRole('region', { name: 'Number' });
    await facts.getByText('live').waitFor(T);
    await facts.getByText('green').waitFor(T);
    expect(await facts.innerText()).toMatch(/Messaging limit\s+10K business-initiated conversations a day/);
    const health = page.getByRole('region', { name: 'Health' });
    await health.getByText('Can send messages').waitFor(T);
    expect(await health.innerText()).toMatch(/yes\s*Can send messages/);
    const history = page.getByRole('region', { name: 'Grant history' });
    const row = history.getByRole('row', { name: /granted/ });
    await row.waitFor(T);
    expect(await row.innerText()).toMatch(/an operator\s+test/);
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-clients-number');
  });

  it('creates an onboarding link with an allowed redirect, copies it, and cancels it', async () => {
    await page.getByRole('link', { name: 'Onboarding links' }).click();
    await page.getByRole('heading', { name: 'Onboarding links', level: 1 }).waitFor();
    // The abandoned link says where the tenant left.
    const left = page.getByRole('row', { name: /Left Bakery/ });
    await left.waitFor(T);
    expect(await left.innerText()).toMatch(/Left at\s+PHONE_NUMBER_SETUP/);
    expect(await audit(page)).toEqual([]);

    await page.getByRole('button', { name: 'Create onboarding link' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an onboarding link' });
    await dialog.getByLabel('Tenant id').fill('tenant-42');
    await dialog.getByLabel('Tenant name (optional)').fill('Harbour Café');
    await dialog.getByLabel('Metadata (optional JSON object)').fill('{"plan": "pro"');
    await dialog.getByLabel('After success, send the tenant to').selectOption(REDIRECT);
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await dialog.getByText('Metadata is not valid JSON').waitFor(T);
    await dialog.getByLabel('Metadata (optional JSON object)').fill('{"plan": "pro"}');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const url = dialog.getByTestId('onboarding-url');
    await url.waitFor(T);
    const link = await url.innerText();
    expect(link).toMatch(new RegExp(`^${hub.url}/`));
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-onboarding-created');
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await dialog.getByText('Copied to the clipboard').waitFor(T);
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(link);
    await dialog.getByRole('button', { name: 'Done' }).click();

    const [session] = (await hub.trpc(token).onboarding.list({ tenant_id: 'tenant-42' })).onboarding_sessions;
    expect(session).toMatchObject({
      onboarding_url: link,
      tenant_name: 'Harbour Café',
      metadata: { plan: 'pro' },
      success_redirect_url: REDIRECT,
      status: 'pending',
    });
    const row = page.getByRole('row', { name: /Harbour Café/ });
    await row.waitFor(T);
    await screenshot(page, 'console-onboarding-list');
    // Each open link can be copied from the list too.
    await row.getByRole('button', { name: 'Copy link' }).click();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(link);
    await row.getByRole('button', { name: 'Cancel link for tenant-42' }).click();
    const confirm = page.getByRole('dialog', { name: 'Cancel this onboarding link?' });
    expect(await audit(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Cancel the link' }).click();
    await expect.poll(() => row.innerText(), T).toMatch(/cancelled/);
    expect(await row.getByRole('button', { name: /Copy link/ }).count()).toBe(0);
    const after = await hub.trpc(token).onboarding.get({ session_id: session!.id });
    expect(after.status).toBe('cancelled');
  });

  it('sends a simulated inbound message from the sandbox tools', async () => {
    await page.getByRole('link', { name: 'Sandbox tools' }).click();
    await page.getByRole('heading', { name: 'Sandbox tools', level: 1 }).waitFor();
    const section = page.getByRole('region', { name: 'Simulated inbound message' });
    await section.getByLabel('Message').fill('Is the shop open on Sunday?');
    expect(await audit(page)).toEqual([]);
    await section.getByRole('button', { name: `Send to +${channel.phoneNumber}` }).click();
    await section.getByText('The hub answered HTTP 200').waitFor(T);
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-sandbox-inbound');
    await hub.drainJobs();
    const log = await hub.trpc(token).channels.messages({ channel_id: channel.id });
    expect(JSON.stringify(log.messages)).toContain('Is the shop open on Sunday?');
  });
});
