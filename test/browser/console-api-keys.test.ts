import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { audit, screenshot } from '../support/axe.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { consoleUserFactory, signInOnPage } from '../support/console.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel } from '../support/sandbox.ts';

describeInBrowser('console: signing in and API keys, in Chromium', () => {
  const hub = useTestHub({}, { listen: true });
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let partnerId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    // axe is injected for the audits only; the pages keep their CSP otherwise.
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hub.url });
    page = await context.newPage();
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'Acme SaaS');
    partnerId = partner.id;
    await onboardSandboxChannel(hub, partner);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('signs in, creates a key shown once, copies it, sends with it, and revokes it', async () => {
    const { email, password } = await consoleUserFactory(hub, partnerId, 'developer');
    await page.goto(`${hub.url}/console`);
    await page.getByLabel('Email').waitFor();
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-01-sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').innerText(), { timeout: 10_000 })
      .toMatch(/Wrong email or password/);
    await signInOnPage(page, hub.url, email, password);
    expect(await audit(page)).toEqual([]);

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByText('No working keys').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an API key' });
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const shown = dialog.getByTestId('shown-once');
    await shown.waitFor({ timeout: 10_000 });
    const key = await shown.innerText();
    expect(key).toMatch(/^hubk_/);
    expect(await audit(page)).toEqual([]);
    await screenshot(page, 'console-02-api-key-created');
    await dialog.getByRole('button', { name: 'Copy' }).first().click();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(key);
    await dialog.getByRole('button', { name: 'Done' }).click();

    // The key works on the messaging API, and is listed by its last four characters only.
    const health = await request(hub.app).get('/waba/health_status').set('D360-API-KEY', key);
    expect(health.status).toBe(200);
    const row = page.getByRole('row', { name: new RegExp(key.slice(-4)) });
    await row.waitFor({ timeout: 10_000 });
    expect(await page.content()).not.toContain(key);
    await screenshot(page, 'console-03-api-keys');

    await row.getByRole('button', { name: `Revoke key ending ${key.slice(-4)}` }).click();
    await page.getByText('No working keys').waitFor({ timeout: 10_000 });
    // Verified keys are cached for at most a second: revocation shows within it.
    const status = async () =>
      (await request(hub.app).get('/waba/health_status').set('D360-API-KEY', key)).status;
    await expect.poll(status, { timeout: 5_000 }).toBe(401);
  });

  it('a viewer sees the keys but no button to create or revoke them', async () => {
    const { email, password } = await consoleUserFactory(hub, partnerId, 'viewer');
    const viewer = await browser.newContext();
    const p = await viewer.newPage();
    await signInOnPage(p, hub.url, email, password);
    await p.goto(`${hub.url}/console/api-keys`);
    await p.getByRole('heading', { name: /^Keys for/ }).waitFor({ timeout: 10_000 });
    expect(await p.getByRole('button', { name: 'Create key' }).count()).toBe(0);
    await viewer.close();
  });
});
