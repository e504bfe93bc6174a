import type { Browser } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { audit } from '../support/axe.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

describeInBrowser('every page the hub serves, checked with axe-core in Chromium', () => {
  const hub = useTestHub({}, { listen: true });
  let browser: Browser;
  const pages: { name: string; path: string; ready?: string }[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    const { partner, token } = await partnerFactory(hub.em(), hub.deps, 'Acme SaaS');
    const session = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/onboarding_sessions`)
      .set(bearer(token))
      .send({ tenant_id: 'axe-tenant', tenant_name: 'Sunrise Bakery' });
    const onboarding = new URL(session.body.onboarding_url).pathname;
    const { appId, configId } = hub.deps.meta;
    pages.push(
      { name: 'landing page', path: '/' },
      { name: 'API reference', path: '/docs', ready: '.opblock' },
      { name: 'connect button generator', path: `/docs/connect-button?partner_id=${partner.id}` },
      { name: 'demo', path: '/demo', ready: '#channels li' },
      { name: 'demo callback', path: '/demo/callback' },
      { name: 'demo after onboarding', path: '/demo/onboarded?status=completed&session_id=obs_1' },
      { name: 'permissions: sign up', path: `/permissions/${partner.id}` },
      { name: 'permissions: log in', path: `/permissions/${partner.id}?next=login` },
      { name: 'permissions: unknown partner', path: '/permissions/ptn_01aaaaaaaaaaaaaaaaaaaaaaaa' },
      { name: 'client hub: log in', path: '/hub' },
      { name: 'onboarding link', path: onboarding },
      { name: 'onboarding link: unknown', path: '/onboard/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
      {
        name: 'sandbox Embedded Signup',
        path: `/sandbox/embedded-signup?app_id=${appId}&config_id=${configId}`,
      },
    );
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('has no serious or critical violation on any page', async () => {
    // Pages keep their CSP in production; axe is injected for the audit only.
    const context = await browser.newContext({ bypassCSP: true });
    const findings: Record<string, string[]> = {};
    for (const { name, path, ready } of pages) {
      const page = await context.newPage();
      await page.goto(`${hub.url}${path}`);
      if (ready) await page.locator(ready).first().waitFor();
      const found = await audit(page);
      if (found.length) findings[name] = found;
      await page.close();
    }
    await context.close();
    expect(findings).toEqual({});
  }, 120_000);
});
