import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { describeInBrowser, launchBrowser } from '../support/browser.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

describeInBrowser(
  'client/ connect button in Chromium (script-tag build from the hub, custom element)',
  () => {
    const hub = useTestHub({}, { listen: true });
    let browser: Browser;
    let site: http.Server;
    let siteUrl: string;
    let partnerId: string;

    beforeAll(async () => {
      browser = await launchBrowser();
      partnerId = (await partnerFactory(hub.em(), hub.deps, 'Acme SaaS')).partner.id;
      site = http.createServer((req, res) => {
        res.setHeader('content-type', 'text/html');
        const script = `<script src="${hub.url}/client/connect.global.js"></script>`;
        // A stand-in for /permissions whose redirect lands at once: the callback posts and closes
        // in the same moment the opener may be checking whether the popup is closed.
        // The slow path: the callback's message never arrives before the popup is closed (here it
        // never arrives at all). The stored result must still win over "closed".
        if (req.url?.startsWith('/permissions/slow')) {
          return res.end(
            `<!doctype html><title>Callback</title>${script}<script>history.replaceState(null, '', '/callback?client=cli_slow&channels=chn_2&state=s');window.opener = { postMessage() {} };PartnerHubConnect.handlePermissionsCallback()</script>`,
          );
        }
        if (req.url?.startsWith('/permissions/')) {
          return res.end(
            `<!doctype html><title>Callback</title>${script}<script>history.replaceState(null, '', '/callback?client=cli_race&channels=chn_1&state=r');PartnerHubConnect.handlePermissionsCallback()</script>`,
          );
        }
        if (req.url?.startsWith('/callback')) {
          return res.end(
            `<!doctype html><title>Callback</title>${script}<script>PartnerHubConnect.handlePermissionsCallback()</script>`,
          );
        }
        res.end(`<!doctype html><title>Acme portal</title>${script}
        <partner-hub-connect hub-url="${hub.url}" partner-id="${partnerId}" redirect-url="${siteUrl}/callback" state="s-1">Connect WhatsApp</partner-hub-connect>
        <script>
          window.outcomes = [];
          const button = document.querySelector('partner-hub-connect');
          button.addEventListener('permissions', (e) => window.outcomes.push({ ok: e.detail }));
          button.addEventListener('permissions-error', (e) => window.outcomes.push({ error: e.detail.reason }));
        </script>`);
      });
      await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
      siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
      const em = hub.em();
      const partner = await em.findOneOrFail(Partner, partnerId);
      partner.allowedRedirectUrls = [`${siteUrl}/callback`];
      await em.flush();
    });
    afterAll(async () => {
      await browser?.close();
      site?.close();
    });

    it('resolves with the parsed redirect, and reports a closed popup', async () => {
      const context = await browser.newContext();
      const portal = await context.newPage();
      await portal.goto(siteUrl);
      const [popup] = await Promise.all([
        context.waitForEvent('page'),
        portal.getByRole('button', { name: 'Connect WhatsApp' }).click(),
      ]);
      await popup.getByLabel('Email').fill('owner@acme-client.example');
      await popup.getByLabel('Password').fill('correct horse battery staple');
      await popup.getByRole('button', { name: 'Create account' }).click();
      await popup.getByRole('button', { name: 'Confirm' }).click();
      await expect.poll(() => portal.evaluate<number>('window.outcomes.length')).toBe(1);
      const [first] =
        await portal.evaluate<
          { ok?: { client: string; channels: string[]; revoked: string[]; state: string } }[]
        >('window.outcomes');
      expect(first!.ok).toMatchObject({
        client: expect.stringMatching(/^cli_/),
        channels: [],
        revoked: [],
        state: 's-1',
      });

      const [again] = await Promise.all([
        context.waitForEvent('page'),
        portal.getByRole('button', { name: 'Connect WhatsApp' }).click(),
      ]);
      await again.getByRole('button', { name: 'Confirm' }).waitFor();
      await again.close();
      await expect.poll(() => portal.evaluate<number>('window.outcomes.length')).toBe(2);
      expect(await portal.evaluate('window.outcomes[1]')).toEqual({ error: 'closed' });
      await context.close();
    });

    it('resolves when the callback posts its result and closes the popup in the same moment', async () => {
      const context = await browser.newContext();
      const portal = await context.newPage();
      await portal.goto(siteUrl);
      const outcomes: unknown[] = [];
      for (let i = 0; i < 20; i++) {
        // Checking for a closed popup every millisecond makes the race as likely as it gets.
        const [, outcome] = await Promise.all([
          context.waitForEvent('page'),
          portal.evaluate(
            `PartnerHubConnect.openPermissions({ hubUrl: ${JSON.stringify(siteUrl)}, partnerId: 'par_x', pollMs: 1 })
             .then((r) => ({ ok: r }), (e) => ({ error: e.reason }))`,
          ),
        ]);
        outcomes.push(outcome);
      }
      expect(outcomes).toEqual(
        Array.from({ length: 20 }, () => ({
          ok: { client: 'cli_race', channels: ['chn_1'], revoked: [], state: 'r' },
        })),
      );
      await context.close();
    });

    it('resolves with the result even when the message arrives after the popup is seen closed (or never)', async () => {
      const context = await browser.newContext();
      const portal = await context.newPage();
      await portal.goto(siteUrl);
      const [, outcome] = await Promise.all([
        context.waitForEvent('page'),
        portal.evaluate(
          `PartnerHubConnect.openPermissions({ hubUrl: ${JSON.stringify(siteUrl)}, partnerId: 'slow', pollMs: 5 })
           .then((r) => ({ ok: r }), (e) => ({ error: e.reason }))`,
        ),
      ]);
      expect(outcome).toEqual({ ok: { client: 'cli_slow', channels: ['chn_2'], revoked: [], state: 's' } });
      // Taken once: nothing is left for a later popup to pick up.
      expect(await portal.evaluate(`localStorage.getItem('partner-hub-permissions-result')`)).toBeNull();
      await context.close();
    });
  },
);
