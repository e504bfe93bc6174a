import type { Browser } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { ClientWaba } from '../../server/modules/signup/client-waba.entity.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

describeInBrowser('Embedded Signup outcomes recorded from the onboarding page, in Chromium', () => {
  const hub = useTestHub({}, { listen: true });
  let browser: Browser;
  let partner: Partner;
  let token: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    const em = hub.em();
    const created = await partnerFactory(em, hub.deps, 'Acme SaaS');
    token = created.token;
    partner = await em.findOneOrFail(Partner, created.partner.id);
  });
  afterAll(() => browser?.close());

  const viewOf = async (id: string) =>
    (
      await request(hub.app)
        .get(`/api/v2/partners/${partner.id}/onboarding_sessions/${id}`)
        .set(bearer(token))
    ).body;

  /** A started onboarding page with its Connect button ready. */
  async function startedPage(tenantId: string) {
    const session = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/onboarding_sessions`)
      .set(bearer(token))
      .send({ tenant_id: tenantId, tenant_name: 'Sunrise Bakery' });
    expect(session.status).toBe(201);
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    context.on('weberror', (e) => problems.push(e.error().message));
    await page.goto(session.body.onboarding_url);
    await page.getByRole('button', { name: 'Start' }).click();
    const connect = page.getByRole('button', { name: 'Connect WhatsApp' });
    await expect.poll(() => connect.isEnabled()).toBe(true);
    const openDialog = async () => {
      const [dialog] = await Promise.all([context.waitForEvent('page'), connect.click()]);
      await dialog.getByLabel('Business name').waitFor();
      return dialog;
    };
    return { id: session.body.id as string, context, page, problems, openDialog };
  }

  it('a cancel at a step shows the session abandoned at that step; finishing afterwards completes it', async () => {
    const s = await startedPage('tenant-browser-cancel');
    const dialog = await s.openDialog();
    await dialog.getByLabel('Cancel at step').selectOption('PHONE_NUMBER_VERIFICATION');
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await s.page.getByText('Connecting a number was cancelled.').waitFor();
    await expect.poll(async () => (await viewOf(s.id)).abandoned_at, { timeout: 10_000 }).not.toBeNull();
    expect((await viewOf(s.id)).last_signup_event).toMatchObject({
      event: 'CANCEL',
      current_step: 'PHONE_NUMBER_VERIFICATION',
    });

    // The tenant tries again on the same page and finishes: the session completes.
    const again = await s.openDialog();
    await again.getByLabel('Business name').fill('Sunrise Bakery');
    await again.getByLabel('Phone number').fill('+1 555 010 7373');
    await again.getByLabel('Display name').fill('Sunrise Bakery');
    await again.getByRole('button', { name: 'Finish', exact: true }).click();
    await s.page.getByText('Done: your number is connected').waitFor({ timeout: 15_000 });
    // The page reports Embedded Signup's event in a request of its own, alongside the completion.
    await expect
      .poll(async () => (await viewOf(s.id)).last_signup_event?.event, { timeout: 10_000 })
      .toBe('FINISH');
    expect(await viewOf(s.id)).toMatchObject({
      status: 'completed',
      abandoned_at: null,
      last_signup_event: { event: 'FINISH' },
    });
    expect(s.problems).toEqual([]);
    await s.context.close();
  });

  it('finishing without a phone number keeps the WABA pending and the session open', async () => {
    const s = await startedPage('tenant-browser-waba-only');
    const dialog = await s.openDialog();
    await dialog.getByLabel('Business name').fill('Sunrise Bakery');
    await dialog.getByRole('button', { name: 'Continue without a phone number' }).click();
    await s.page.getByText('it has no phone number yet').waitFor({ timeout: 15_000 });
    await expect
      .poll(async () => (await viewOf(s.id)).last_signup_event?.event, { timeout: 10_000 })
      .toBe('FINISH_ONLY_WABA');
    const view = await viewOf(s.id);
    expect(view).toMatchObject({
      status: 'opened',
      channel_id: null,
      abandoned_at: null,
      last_signup_event: { event: 'FINISH_ONLY_WABA', phone_number_id: null },
    });
    const waba = await hub.em().findOneOrFail(ClientWaba, { wabaId: view.last_signup_event.waba_id });
    expect(waba.status).toBe('pending');
    expect(s.problems).toEqual([]);
    await s.context.close();
  });
});
