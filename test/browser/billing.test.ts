import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { setPaymentModel } from '../../server/modules/billing/payment-model.service.ts';
import { publishPriceList } from '../../server/modules/billing/price-lists.service.ts';
import { issueStatements } from '../../server/modules/billing/statements.service.ts';
import { publishTerms } from '../../server/modules/billing/terms.service.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { ClientUser } from '../../server/modules/clients/client-user.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { TEST_ACTOR } from '../support/sandbox.ts';
import { insertUsage } from '../support/usage-rows.ts';

const PASSWORD = 'correct horse battery staple';
const TERMS_URL = 'https://provider.example/terms-v1';

/**
 * The two payment models in a real Chromium: Partner Payment's terms link on the sign-up form,
 * Direct Payment's price page with the Stripe.js stand-in (a declined card, a failed and a
 * completed 3-D Secure check), then the card replaced in the client hub. The API-level version
 * of these flows is test/billing/direct-payment.test.ts.
 */
describeInBrowser('the payment models in Chromium', () => {
  const hub = useTestHub({}, { listen: true });
  let browser: Browser;
  let partnerPaid: Partner;
  let direct: Partner;
  /** The direct-paid business signed up in the second test, for the client hub. */
  let directEmail: string;
  let directClientId: string;
  let directChannelId: string;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    partnerPaid = (await partnerFactory(hub.em(), hub.deps, 'Acme SaaS')).partner;
    direct = (await partnerFactory(hub.em(), hub.deps, 'Direct SaaS')).partner;
    const em = hub.em();
    await setPaymentModel(em, hub.clock, await em.findOneOrFail(Partner, direct.id), 'direct', TEST_ACTOR);
    await publishTerms(
      hub.em(),
      hub.deps,
      { url: TERMS_URL, effectiveAt: new Date('2026-01-01') },
      TEST_ACTOR,
    );
    await publishPriceList(
      hub.em(),
      hub.clock,
      {
        currency: 'eur',
        markup_percent: 10,
        effective_at: '2026-01-01T00:00:00Z',
        rates: [
          { category: 'marketing', country: '*', meta_rate: '0.0625' },
          { category: 'utility', country: 'DE', meta_rate: '0.0300' },
        ],
      },
      TEST_ACTOR,
    );
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A browser context that reports page errors and answers the outside URLs itself (loopback only). */
  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext();
    // Fail at the step that hangs, well before the test's own timeout.
    context.setDefaultTimeout(10_000);
    context.on('weberror', (e) => problems.push(e.error().message));
    await context.route('https://provider.example/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Terms of service v1</title>' }),
    );
    // The partner's registered redirect (partnerFactory's), where the grant page ends.
    await context.route('https://partner.example/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Partner</title>' }),
    );
    return context;
  }

  async function signUp(page: Page, partner: Partner, email: string): Promise<void> {
    await page.goto(`${hub.url}/permissions/${partner.id}`);
    await page.getByLabel('Your name').fill('Ana Baker');
    await page.getByLabel('Business name').fill('Sunrise Bakery');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
  }

  async function fillCard(page: Page, number: string): Promise<void> {
    await page.getByLabel('Card number').fill(number);
    await page.getByLabel('Expiry date (MM / YY)').fill('12 / 34');
    await page.getByLabel('Security code (CVC)').fill('123');
  }

  async function usage(channelId: string, day: string, category: string, country: string, messages: number) {
    await insertUsage(hub.em(), { partnerId: direct.id, channelId, day, category, country, messages });
  }

  /** The page's SetupIntent, by its client secret. */
  const secretOf = (page: Page) => page.locator('#billing-form').getAttribute('data-client-secret');

  const clientOf = async (email: string) =>
    (await hub.em().findOneOrFail(ClientUser, { email }, { populate: ['client'] })).client;

  it('Partner Payment: the sign-up form links the terms, signing up accepts them, and the grant page follows', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/permissions/${partnerPaid.id}`);

    const terms = page.getByRole('link', { name: 'terms of service' });
    expect(await terms.getAttribute('href')).toBe(TERMS_URL);
    expect(await terms.getAttribute('target')).toBe('_blank');
    expect(await terms.getAttribute('rel')).toContain('noopener');
    const [tab] = await Promise.all([context.waitForEvent('page'), terms.click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toBe(TERMS_URL);
    expect(await tab.title()).toBe('Terms of service v1');
    await tab.close();

    const email = 'ana@partner-paid.example';
    await signUp(page, partnerPaid, email);
    await page.getByRole('heading', { name: 'Choose the numbers Acme SaaS may use' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Prices and payment' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add a number' }).count()).toBe(1);

    const client = await clientOf(email);
    const [row] = await query<{
      payment_model: string;
      terms_version: number | null;
      terms_accepted_at: string | null;
      price_list_version: number | null;
    }>(
      hub.em(),
      'select payment_model, terms_version, terms_accepted_at, price_list_version from clients where id = ?',
      [client.id],
    );
    expect(row).toMatchObject({ payment_model: 'partner', terms_version: 1, price_list_version: null });
    expect(Date.parse(row!.terms_accepted_at ?? '')).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('Direct Payment: the price page, a declined card, a failed and a completed 3-D Secure check, then the grant page and Embedded Signup', async () => {
    const context = await newContext();
    const page = await context.newPage();
    directEmail = 'ana@direct-paid.example';
    await signUp(page, direct, directEmail);
    await page.getByRole('heading', { name: 'Prices and payment' }).waitFor();
    const priceUrl = page.url();
    expect(new URL(priceUrl).pathname).toBe(`/permissions/${direct.id}`);
    directClientId = (await clientOf(directEmail)).id;

    // The prices as published, with the 10 % markup: 0.0625 → 0.06875, 0.03 → 0.033.
    expect(await page.getByRole('row', { name: /Marketing All other countries/ }).innerText()).toContain(
      '0.06875 EUR',
    );
    expect(await page.getByRole('row', { name: /Utility DE/ }).innerText()).toContain('0.033 EUR');
    const terms = page.getByRole('link', { name: 'terms of service' });
    expect(await terms.getAttribute('href')).toBe(TERMS_URL);
    expect(await terms.getAttribute('target')).toBe('_blank');
    // The card field comes from the Stripe.js stand-in, its inputs labelled.
    const card = page.getByRole('group', { name: 'Card details' });
    await card.waitFor();
    for (const label of ['Card number', 'Expiry date (MM / YY)', 'Security code (CVC)'])
      expect(await card.getByLabel(label).count()).toBe(1);
    // …and Tab goes through them in order.
    await card.getByLabel('Card number').focus();
    const focused = () => card.locator('input:focus').getAttribute('autocomplete');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('cc-exp');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('cc-csc');
    expect(await page.getByRole('button', { name: 'Add a number' }).count()).toBe(0);

    const accept = page.getByRole('checkbox', { name: /I accept the terms of service/ });
    const save = page.getByRole('button', { name: 'Save card and continue' });
    const alert = page.getByRole('alert').filter({ hasText: /\S/ });

    // 1. Without the box ticked: the page says so, focuses the box and stays.
    await fillCard(page, '4242424242424242');
    await save.click();
    await expect
      .poll(() => alert.innerText())
      .toBe('Tick the box to accept the terms of service and the prices.');
    expect(await page.locator('#accept:focus').count()).toBe(1);
    expect(page.url()).toBe(priceUrl);
    expect((await hub.em().findOneOrFail(Client, directClientId)).paymentMethodId).toBeNull();

    // 2. A declined card: the provider's message in the alert, and no card on the client.
    await fillCard(page, '4000000000000002');
    await accept.press('Space'); // keyboard only
    expect(await accept.isChecked()).toBe(true);
    await save.click();
    const billingError = page.locator('#billing-error');
    await expect.poll(() => billingError.isVisible()).toBe(true);
    expect(await billingError.getAttribute('role')).toBe('alert');
    expect(await billingError.innerText()).toBe('Your card was declined.');
    expect(await save.isEnabled()).toBe(true);
    expect(page.url()).toBe(priceUrl);
    expect((await hub.em().findOneOrFail(Client, directClientId)).paymentMethodId).toBeNull();

    // 3. A fresh page (a new SetupIntent, though the hub's clock has not moved), a card that
    // asks for 3-D Secure, and the cardholder fails the check.
    const secrets = [await secretOf(page)];
    await page.reload();
    secrets.push(await secretOf(page));
    await fillCard(page, '4000002500003155');
    await accept.check();
    await save.click();
    const dialog = page.getByRole('dialog', { name: '3D Secure authentication' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Fail authentication' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => billingError.isVisible()).toBe(true);
    expect(await billingError.innerText()).toMatch(/authentication failed/);
    expect(page.url()).toBe(priceUrl);
    expect((await hub.em().findOneOrFail(Client, directClientId)).paymentMethodId).toBeNull();

    // 4. Again on a fresh page, and the check passes: the page moves on to Embedded Signup.
    await page.reload();
    secrets.push(await secretOf(page));
    expect(new Set(secrets).size).toBe(3);
    await fillCard(page, '4000002500003155');
    await accept.check();
    await save.click();
    await dialog.waitFor();
    // The modal takes the focus: Enter on it completes the check.
    expect(await dialog.locator('button:focus').innerText()).toBe('Complete authentication');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Choose the numbers Direct SaaS may use' }).waitFor();
    expect(await page.getByRole('button', { name: 'Add a number' }).count()).toBe(1);

    const client = await hub.em().findOneOrFail(Client, directClientId);
    expect(client.paymentMethodId).toMatch(/^pm_/);
    expect(client.paymentMethodLabel).toBe('visa •••• 3155, 12/34');
    expect([client.termsVersion, client.priceListVersion]).toEqual([1, 1]);
    expect(client.termsAcceptedAt).toBeInstanceOf(Date);

    // Embedded Signup is open now: a number through the sandbox's dialog, shared with the partner.
    const addNumber = page.getByRole('button', { name: 'Add a number' });
    await expect.poll(() => addNumber.isEnabled()).toBe(true);
    const [signup] = await Promise.all([context.waitForEvent('page'), addNumber.click()]);
    await signup.waitForLoadState();
    await signup.getByLabel('Business name').fill('Sunrise Bakery');
    await signup.getByLabel('Phone number').fill('+1 555 010 3030');
    await signup.getByLabel('Display name').fill('Sunrise Bakery');
    await signup.getByRole('button', { name: 'Finish' }).click();
    const number = page.getByRole('checkbox', { name: /\+15550103030/ });
    await number.waitFor({ timeout: 15_000 });
    expect(await number.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.waitForURL(/^https:\/\/partner\.example\/callback\?/);
    const callback = new URL(page.url()).searchParams;
    directChannelId = (await hub.em().findOneOrFail(Channel, { client: directClientId })).id;
    expect([callback.get('client'), callback.get('channels')]).toEqual([
      directClientId,
      `[${directChannelId}]`,
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('client hub: the Billing section shows the card and the paid statement, and "Replace card" saves a new one', async () => {
    expect(directChannelId, 'the Direct Payment test signs the business up').toBeDefined();
    // November's messages, billed on the card from the price page (3-D Secure cards charge fine
    // off-session): 10 × 0.06875 = 0.69 and 100 × 0.033 = 3.30.
    await usage(directChannelId, '2026-11-02', 'marketing', 'BR', 10);
    await usage(directChannelId, '2026-11-03', 'utility', 'DE', 100);
    expect((await issueStatements(hub.em(), hub.clock, '2026-11')).skipped).toEqual([]);
    await hub.drainJobs();
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/hub`);
    await page.getByLabel('Email').fill(directEmail);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();

    const billing = page.locator('#billing');
    await billing.getByRole('heading', { name: 'Billing' }).waitFor();
    expect(await billing.innerText()).toContain('Card on file: visa •••• 3155, 12/34');
    expect(await billing.getByRole('row', { name: /2026-11/ }).innerText()).toMatch(
      /2026-11\s+paid\s+3\.99 EUR/,
    );

    await billing.getByRole('link', { name: 'Replace card' }).click();
    // Right after the price page (the hub's clock has not moved): still a new SetupIntent.
    await page.getByRole('heading', { name: 'Replace your card' }).waitFor();
    expect(await page.getByText('The card on file is visa •••• 3155, 12/34.').count()).toBe(1);
    await fillCard(page, '4242424242424242');
    await page.getByRole('button', { name: 'Save card' }).click();
    await page.waitForURL(`${hub.url}/hub#billing`);
    await billing.getByRole('heading', { name: 'Billing' }).waitFor();
    expect(await billing.innerText()).toContain('Card on file: visa •••• 4242, 12/34');

    const client = await hub.em().findOneOrFail(Client, directClientId);
    expect(client.paymentMethodLabel).toBe('visa •••• 4242, 12/34');
    expect(problems).toEqual([]);
    await context.close();
  });
});
