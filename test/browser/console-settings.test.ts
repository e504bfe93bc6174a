import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { audit, screenshot } from '../support/axe.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { consoleUserFactory, signInOnPage } from '../support/console.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const T = { timeout: 10_000 };

describeInBrowser('console: settings, team and your account, in Chromium', () => {
  const hub = useTestHub({}, { listen: true });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let partnerId: string;
  let owner: { email: string; password: string };

  beforeAll(async () => {
    browser = await launchBrowser();
    // axe is injected for the audits only; the pages keep their CSP otherwise.
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'Acme SaaS');
    partnerId = partner.id;
    owner = await consoleUserFactory(hub, partnerId, 'owner');
  });
  afterAll(async () => {
    await browser?.close();
  });

  const goTo = async (p: Page, link: string, heading: string) => {
    await p.getByRole('link', { name: link }).click();
    await p.getByRole('heading', { name: heading, level: 1 }).waitFor(T);
  };

  it('the owner rebrands the partner and rotates its token, shown once', async () => {
    await signInOnPage(page, hub.url, owner.email, owner.password);
    await goTo(page, 'Settings', 'Settings');
    await page.getByRole('cell', { name: /^hubp_…/ }).waitFor(T);
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-settings-1-page');

    await page.getByLabel('Brand name').fill('Acme Messaging');
    await page.getByRole('button', { name: 'Save branding' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).first().waitFor(T);
    await expect.poll(() => page.locator('.brand-name').innerText(), T).toBe('Acme Messaging');

    await page.getByLabel('Add an allowed redirect URL').fill('https://partner.example/return');
    await page.getByRole('button', { name: 'Add URL' }).click();
    await page.getByRole('button', { name: 'Remove https://partner.example/return' }).waitFor(T);

    await page.getByRole('button', { name: 'Rotate token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate the partner token' });
    await dialog.getByRole('button', { name: 'Issue new token' }).click();
    const shown = dialog.getByTestId('shown-once');
    await shown.waitFor(T);
    const token = await shown.innerText();
    expect(token).toMatch(/^hubp_/);
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-settings-2-token-rotated');
    await dialog.getByRole('button', { name: 'Done' }).click();

    // The new token works; the page keeps only its last four characters.
    const me = await request(hub.app)
      .get(`/api/v2/partners/${partnerId}`)
      .set('Authorization', `Bearer ${token}`);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      brand_name: 'Acme Messaging',
      allowed_redirect_urls: ['https://partner.example/return'],
    });
    await page.getByRole('cell', { name: `hubp_…${token.slice(-4)}` }).waitFor(T);
    expect(await page.content()).not.toContain(token);
    await expect.poll(() => page.getByText(/^expiring$/).count(), T).toBe(1);
  });

  it('the owner invites a viewer, who joins from the link and can change nothing', async () => {
    await goTo(page, 'Team', 'Team');
    await page.getByRole('cell', { name: owner.email.toLowerCase(), exact: true }).waitFor(T);
    await page.getByText('No pending invites').waitFor(T);
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-team-1-members');

    await page.getByRole('button', { name: 'Invite a teammate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a teammate' });
    await dialog.getByLabel('Email').fill('Viewer@Acme.test');
    await dialog.getByLabel('Role').selectOption('viewer');
    await dialog.getByRole('button', { name: 'Create invite link' }).click();
    const shown = dialog.getByTestId('shown-once');
    await shown.waitFor(T);
    const link = await shown.innerText();
    expect(link).toMatch(new RegExp(`^${hub.url}/console/invite/hubi_`));
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-team-2-invite-link');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Revoke the invite of viewer@acme.test' }).waitFor(T);

    const fresh = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
    const guest = await fresh.newPage();
    await guest.goto(link);
    await guest.getByText('invites viewer@acme.test as a viewer').waitFor(T);
    await expect
      .poll(() => guest.getByRole('form', { name: 'Accept the invite' }).innerText(), T)
      .toContain('Acme Messaging');
    expect(await audit(guest)).toEqual([]);
    await screenshot(guest, 'console-team-3-accept-invite');
    await guest.getByLabel('Your name').fill('Vera Viewer');
    await guest.getByLabel('Choose a password').fill('viewer password 1234');
    await guest.getByRole('button', { name: 'Join and sign in' }).click();
    await guest.getByRole('navigation', { name: 'Console' }).waitFor(T);
    expect(await guest.locator('.user-role').innerText()).toBe('viewer');
    expect(await guest.locator('.brand-name').innerText()).toBe('Acme Messaging');

    await goTo(guest, 'Settings', 'Settings');
    await guest
      .getByRole('cell', { name: /^hubp_…/ })
      .first()
      .waitFor(T);
    for (const name of ['Save branding', 'Rotate token', 'Rotate signing secret', 'Add URL'])
      expect(await guest.getByRole('button', { name }).count()).toBe(0);
    expect(await audit(guest)).toEqual([]);
    await goTo(guest, 'Team', 'Team');
    await guest.getByRole('cell', { name: 'viewer@acme.test', exact: true }).waitFor(T);
    expect(await guest.getByRole('button', { name: 'Invite a teammate' }).count()).toBe(0);
    expect(await guest.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    expect(await guest.getByRole('combobox').count()).toBe(0);

    // The link is used up: opened again, it explains itself.
    await guest.goto(link);
    await guest.getByRole('alert').filter({ hasText: 'used already' }).waitFor(T);
    await fresh.close();
  });

  it('the owner turns on two-factor sign-in and then signs in with a code', async () => {
    await goTo(page, 'Your account', 'Your account');
    expect(await audit(page)).toEqual([]);
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const secret = await page.getByTestId('totp-secret').innerText();
    await page.getByRole('img', { name: 'QR code of the two-factor secret' }).waitFor(T);
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-account-1-two-factor-setup');
    // The hub runs on the test's clock: codes are computed for its time.
    const code = () =>
      new TOTP({ secret: Secret.fromBase32(secret), period: 30 }).generate({
        timestamp: hub.clock.now().getTime(),
      });
    await page.getByLabel('Code from the app').fill(code());
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).waitFor(T);
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-account-2-two-factor-on');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Code', { exact: true }).waitFor(T);
    // The confirming code is spent; the next step's code signs in.
    hub.clock.advance(30_000);
    await page.getByLabel('Code', { exact: true }).fill(code());
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('navigation', { name: 'Console' }).waitFor(T);
    expect(await page.locator('.user-email').innerText()).toBe(owner.email.toLowerCase());
  });
});
