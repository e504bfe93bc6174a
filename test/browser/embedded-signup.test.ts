import { randomInt } from 'node:crypto';
import express from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { serveOnLoopback } from '../support/http-server.ts';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub({}, { listen: true });

interface SessionInfo {
  type: string;
  event: string;
  data: Record<string, string>;
  version: string;
}
interface LoginResponse {
  status: string;
  authResponse: { code: string } | null;
}
// What the functions handed to page.evaluate see in the browser (this project has no DOM typings).
declare const window: {
  sessionInfo: SessionInfo[];
  rawMessageTypes: string[];
  loginResponses: LoginResponse[];
  sdkReady: boolean;
  opener: unknown;
};
declare const document: { activeElement: { textContent: string | null } | null };

/** A partner's page, written the way Meta's Embedded Signup guide writes it, against the sandbox SDK. */
function partnerPage(hubUrl: string, appId: string, configId: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Partner page</title><link rel="icon" href="data:,"></head>
<body>
  <button id="connect" type="button">Connect WhatsApp</button>
  <script>
    window.sessionInfo = [];
    window.rawMessageTypes = [];
    window.loginResponses = [];
    window.addEventListener('message', (event) => {
      if (event.origin !== ${JSON.stringify(hubUrl)}) return;
      try {
        const data = JSON.parse(event.data);
        if (data.type === 'WA_EMBEDDED_SIGNUP') {
          window.rawMessageTypes.push(typeof event.data);
          window.sessionInfo.push(data);
        }
      } catch {}
    });
    window.fbAsyncInit = () => {
      FB.init({ appId: ${JSON.stringify(appId)}, autoLogAppEvents: true, xfbml: true, version: 'v23.0' });
      window.sdkReady = true;
    };
    document.getElementById('connect').addEventListener('click', () => {
      FB.login((response) => window.loginResponses.push(response), {
        config_id: ${JSON.stringify(configId)},
        response_type: 'code',
        override_default_response_type: true,
        extras: { setup: {}, sessionInfoVersion: '3' },
      });
    });
  </script>
  <script async defer crossorigin="anonymous" src="${hubUrl}/sandbox/fb-sdk.js"></script>
</body></html>`;
}

describeInBrowser('Embedded Signup in the sandbox, in a real browser', () => {
  let browser: Browser;
  let partner: Awaited<ReturnType<typeof serveOnLoopback>>;
  let context: BrowserContext;
  let problems: string[];

  beforeAll(async () => {
    browser = await launchBrowser();
    const site = express();
    site.get('/', (_req, res) => {
      res.type('html').send(partnerPage(hub.url, hub.deps.meta.appId, hub.deps.meta.configId));
    });
    partner = await serveOnLoopback(site);
  });
  afterAll(async () => {
    await browser?.close();
    await partner?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext();
    problems = [];
    context.on('page', (p) => {
      p.on('console', (m) => m.type() === 'error' && problems.push(`${m.location().url}: ${m.text()}`));
      p.on('pageerror', (e) => problems.push(`${p.url()}: ${e.message}`));
    });
  });
  afterEach(async () => {
    await context.close();
  });

  async function openDialog(url = `${partner.url}/`): Promise<{ page: Page; popup: Page }> {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.sdkReady === true);
    const popupOpened = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Connect WhatsApp' }).click();
    const popup = await popupOpened;
    await popup.getByRole('heading', { name: /connect your business/i }).waitFor();
    return { page, popup };
  }

  /**
   * Runs an action that ends the dialog. The popup closes itself right after, which can
   * interrupt Playwright's bookkeeping for the action; that is only an error if it stayed open.
   */
  async function finalAction(popup: Page, action: () => Promise<void>): Promise<void> {
    const closed = popup.waitForEvent('close');
    await action().catch((err) => {
      if (!popup.isClosed()) throw err;
    });
    await closed;
  }

  async function loginResponse(page: Page): Promise<LoginResponse> {
    await page.waitForFunction(() => window.loginResponses.length > 0);
    const responses = await page.evaluate(() => window.loginResponses);
    expect(responses).toHaveLength(1);
    return responses[0]!;
  }

  async function graph(path: string, token: string) {
    const res = await fetch(`${hub.url}/sandbox/graph/v23.0${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return JSON.parse(await res.text());
  }

  it('Finish hands the page session info and a code that exchanges for a token scoped to the new WABA', async () => {
    const { page, popup } = await openDialog();
    expect(await popup.evaluate(() => window.opener !== null)).toBe(true);
    await expect(
      popup
        .getByText(/Partner Hub sandbox/)
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    await popup.getByLabel('Business name').fill('Acme Bakery');
    await popup.getByLabel('Phone number').fill(`+1 555 ${String(randomInt(0, 1e7)).padStart(7, '0')}`);
    await popup.getByLabel('Display name').fill('Acme Bakery');
    await expect(popup.getByRole('radio', { name: 'Cloud API' }).isChecked()).resolves.toBe(true);
    await finalAction(popup, () => popup.getByRole('button', { name: 'Finish' }).click());

    const response = await loginResponse(page);
    expect(response.status).toBe('connected');
    const code = response.authResponse!.code;
    expect(code).toMatch(/^AQ/);

    const sessionInfo = await page.evaluate(() => window.sessionInfo);
    expect(await page.evaluate(() => window.rawMessageTypes)).toEqual(['string']);
    expect(sessionInfo).toEqual([
      {
        type: 'WA_EMBEDDED_SIGNUP',
        event: 'FINISH',
        data: {
          phone_number_id: expect.stringMatching(/^\d+$/),
          waba_id: expect.stringMatching(/^\d+$/),
          business_id: expect.stringMatching(/^\d+$/),
        },
        version: '3',
      },
    ]);
    const { waba_id, phone_number_id } = sessionInfo[0]!.data;

    const q = new URLSearchParams({
      client_id: hub.deps.meta.appId,
      client_secret: hub.deps.meta.appSecret,
      code,
    });
    const exchanged = (await (
      await fetch(`${hub.url}/sandbox/graph/v23.0/oauth/access_token?${q}`)
    ).json()) as {
      access_token: string;
    };
    const debug = await graph(
      `/debug_token?input_token=${exchanged.access_token}`,
      `${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`,
    );
    expect(debug.data.is_valid).toBe(true);
    expect(debug.data.granular_scopes).toContainEqual({
      scope: 'whatsapp_business_management',
      target_ids: [waba_id],
    });
    expect((await graph(`/${waba_id}/phone_numbers`, exchanged.access_token)).data[0].id).toBe(
      phone_number_id,
    );
    expect(problems).toEqual([]);
  });

  it('Cancel answers FB.login with no authResponse and posts a CANCEL event', async () => {
    const { page, popup } = await openDialog();
    await popup.getByLabel('Phone number').focus();
    await finalAction(popup, () => popup.getByRole('button', { name: 'Cancel' }).click());
    expect(await loginResponse(page)).toEqual({ status: 'unknown', authResponse: null });
    expect(await page.evaluate(() => window.sessionInfo)).toEqual([
      {
        type: 'WA_EMBEDDED_SIGNUP',
        event: 'CANCEL',
        data: { current_step: 'PHONE_NUMBER_SETUP' },
        version: '3',
      },
    ]);
    expect(problems).toEqual([]);
  });

  it('Simulate error posts an ERROR event with its ids', async () => {
    const { page, popup } = await openDialog();
    await finalAction(popup, () => popup.getByRole('button', { name: 'Simulate error' }).click());
    expect(await loginResponse(page)).toEqual({ status: 'unknown', authResponse: null });
    const [info] = await page.evaluate(() => window.sessionInfo);
    expect(info).toEqual({
      type: 'WA_EMBEDDED_SIGNUP',
      event: 'ERROR',
      data: {
        error_message: expect.any(String),
        error_id: expect.any(String),
        session_id: expect.stringMatching(/^[0-9a-f]{16}$/),
        timestamp: expect.stringMatching(/^\d+$/),
      },
      version: '3',
    });
  });

  it('closing the popup counts as a cancel', async () => {
    const { page, popup } = await openDialog();
    await popup.close();
    expect(await loginResponse(page)).toEqual({ status: 'unknown', authResponse: null });
  });

  it('works from the keyboard alone, with validation errors announced next to their fields', async () => {
    const { page, popup } = await openDialog();
    // Submitting the empty form from the keyboard.
    await popup.getByLabel('Business name').focus();
    await popup.keyboard.press('Enter');
    const alert = popup.getByRole('alert').filter({ hasText: /need fixing/ });
    await alert.waitFor();
    const businessName = popup.getByLabel('Business name');
    expect(await businessName.getAttribute('aria-invalid')).toBe('true');
    expect(await popup.getByLabel('Phone number').getAttribute('aria-invalid')).toBe('true');
    // The field's message is what its aria-describedby points at, and focus moved to it.
    const describedBy = (await businessName.getAttribute('aria-describedby'))!.split(' ');
    const message = await popup.locator(`#${describedBy.at(-1)}`).innerText();
    expect(message).toBe('Enter the business name');
    expect(await businessName.evaluate((el) => el === document.activeElement)).toBe(true);

    await popup.keyboard.type('Keyboard Café');
    await popup.keyboard.press('Tab');
    await popup.keyboard.type(`+1555${String(randomInt(0, 1e7)).padStart(7, '0')}`);
    await popup.keyboard.press('Tab');
    await popup.keyboard.type('Keyboard Café');
    await popup.keyboard.press('Tab'); // the checked radio: Cloud API
    await popup.keyboard.press('ArrowDown'); // coexistence
    expect(await popup.getByRole('radio', { name: 'WhatsApp Business app (coexistence)' }).isChecked()).toBe(
      true,
    );
    expect(await businessName.getAttribute('aria-invalid')).toBe('true'); // until resubmitted
    await popup.keyboard.press('Tab');
    expect(await popup.evaluate(() => document.activeElement?.textContent)).toBe('Finish');
    await finalAction(popup, () => popup.keyboard.press('Enter'));

    const response = await loginResponse(page);
    expect(response.authResponse?.code).toMatch(/^AQ/);
    const [info] = await page.evaluate(() => window.sessionInfo);
    expect(info!.event).toBe('FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING');
    const token = await (async () => {
      const q = new URLSearchParams({
        client_id: hub.deps.meta.appId,
        client_secret: hub.deps.meta.appSecret,
        code: response.authResponse!.code,
      });
      return (
        (await (await fetch(`${hub.url}/sandbox/graph/v23.0/oauth/access_token?${q}`)).json()) as {
          access_token: string;
        }
      ).access_token;
    })();
    expect(await graph(`/${info!.data.phone_number_id}?fields=is_on_biz_app,status`, token)).toEqual({
      is_on_biz_app: true,
      status: 'CONNECTED',
      id: info!.data.phone_number_id,
    });
    // The browser logs the first submit's 400 from the complete endpoint; that one is expected.
    expect(problems).toEqual([
      expect.stringMatching(/\/sandbox\/embedded-signup\/complete: Failed to load resource: .* 400/),
    ]);
  });

  it("also works for a page on the hub's own origin under helmet's strict opener policy", async () => {
    // A hosted hub page: same origin as the sandbox, Cross-Origin-Opener-Policy: same-origin.
    const hostedUrl = `${hub.url}/__hosted-page-under-test`;
    await context.route(hostedUrl, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        headers: { 'Cross-Origin-Opener-Policy': 'same-origin' },
        body: partnerPage(hub.url, hub.deps.meta.appId, hub.deps.meta.configId),
      }),
    );
    const { page, popup } = await openDialog(hostedUrl);
    // The strict policy cut the popup off from its opener: the BroadcastChannel path carries the messages.
    expect(await popup.evaluate(() => window.opener === null)).toBe(true);
    await popup.getByLabel('Business name').fill('Hosted');
    await popup.getByLabel('Phone number').fill(`1555${String(randomInt(0, 1e7)).padStart(7, '0')}`);
    await popup.getByLabel('Display name').fill('Hosted');
    await finalAction(popup, () => popup.getByRole('button', { name: 'Finish' }).click());
    const response = await loginResponse(page);
    expect(response.authResponse?.code).toMatch(/^AQ/);
    expect((await page.evaluate(() => window.sessionInfo)).map((i) => i.event)).toEqual(['FINISH']);
    expect(problems).toEqual([]);
  });
});
