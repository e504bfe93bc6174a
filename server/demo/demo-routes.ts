import { readFileSync } from 'node:fs';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { createPartnerHubClient, type PartnerHubClient } from '../../client/src/sdk.ts';
import { verifyWebhook, verifyWebhookRaw } from '../../client/src/webhooks.ts';
import { safeString } from '../../shared/schemas/safe-text.ts';
import { AppError } from '../errors.ts';
import type { Hub } from '../hub.ts';
import { demoCallbackPage, demoOnboardedPage, demoPage } from './demo-pages.ts';
import { type DemoPartner, ensureDemoPartner } from './demo-partner.ts';

interface FeedItem {
  at: string;
  kind: 'event' | 'inbound' | 'step' | 'error';
  title: string;
  detail: unknown;
}

const SendSchema = z.object({ to: safeString().regex(/^\+?\d{8,15}$/), text: safeString().min(1).max(1000) });

/**
 * `/demo` (sandbox mode only): a partner's portal and backend in one page, built on the public
 * surface only — the SDK over HTTP, the connect button, `/waba` with a channel key, the sandbox
 * control API — so what it shows is what an integration does.
 */
export function demoRoutes(deps: Hub): Router {
  const router = Router({ caseSensitive: true });
  const feed: FeedItem[] = [];
  const keys = new Map<string, string>();
  let partner: Promise<DemoPartner> | undefined;
  const demo = () => {
    partner ??= ensureDemoPartner(deps).catch((err) => {
      partner = undefined;
      throw err;
    });
    return partner;
  };
  const sdk = async (): Promise<PartnerHubClient> => {
    const p = await demo();
    return createPartnerHubClient({ baseUrl: deps.config.publicUrl, token: p.token, partnerId: p.id });
  };
  const log = (kind: FeedItem['kind'], title: string, detail: unknown) => {
    feed.push({ at: new Date().toISOString(), kind, title, detail });
    if (feed.length > 200) feed.shift();
  };
  const appToken = `${deps.meta.appId}|${deps.meta.appSecret}`;

  // Same-origin JSON only: a custom header cannot be sent cross-site without CORS.
  const demoCall = (req: Request, _res: Response, next: NextFunction) => {
    if (req.get('x-demo') !== '1') throw new AppError('forbidden', 'Demo API calls come from the demo page');
    next();
  };

  for (const name of ['demo.js', 'callback.js']) {
    const script = readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
    router.get(`/demo/assets/${name}`, (_req, res) => {
      res.set('Cache-Control', 'no-cache').type('application/javascript').send(script);
    });
  }

  // Like any partner page: it opens the hub in a popup and must keep the popup's `opener` link,
  // which helmet's default COOP (same-origin) would cut when the popup shows the hub's page.
  router.use(['/demo', '/demo/onboarded'], (_req, res, next) => {
    res.set('Cross-Origin-Opener-Policy', 'same-origin-allow-popups');
    next();
  });

  router.get('/demo', async (_req, res) => {
    const p = await demo();
    res.send(demoPage({ hubUrl: deps.config.publicUrl, partnerId: p.id }));
  });
  router.get('/demo/callback', (_req, res) => {
    // Shown inside the popup: it must keep talking to its opener.
    res.set('Cross-Origin-Opener-Policy', 'unsafe-none').send(demoCallbackPage());
  });
  router.get('/demo/onboarded', (req, res) => {
    log('step', `Back from onboarding: ${String(req.query.status)}`, req.query);
    res.send(demoOnboardedPage(req.query as Record<string, string>));
  });

  // The partner's webhook receiver: verifies like any integration would, then shows the event.
  router.post('/demo/webhooks', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const p = await demo();
    try {
      const event = verifyWebhook(p.webhookSecret, req.body as Buffer, req.headers);
      log('event', event.type, event.data);
      res.status(204).end();
    } catch (err) {
      log('error', 'Rejected a webhook with a bad signature', (err as Error).message);
      res.status(400).end();
    }
  });
  router.post('/demo/webhooks/channel', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const p = await demo();
    try {
      const body = verifyWebhookRaw(p.webhookSecret, req.body as Buffer, req.headers) as {
        entry?: {
          changes?: {
            value?: {
              messages?: { text?: { body?: string }; from?: string; from_user_id?: string }[];
              statuses?: unknown[];
            };
          }[];
        }[];
      };
      const value = body.entry?.[0]?.changes?.[0]?.value;
      const message = value?.messages?.[0];
      log(
        'inbound',
        message
          ? `Message from ${message.from ? `+${message.from}` : (message.from_user_id ?? 'an unknown contact')}: ${message.text?.body ?? '(non-text)'}`
          : 'Status update',
        value,
      );
      res.status(204).end();
    } catch (err) {
      log('error', 'Rejected a channel webhook with a bad signature', (err as Error).message);
      res.status(400).end();
    }
  });

  router.use('/demo/api', express.json({ limit: '32kb' }), demoCall);

  router.get('/demo/api/state', async (_req, res) => {
    const client = await sdk();
    const { channels } = await client.rest.channels.list({ limit: 50 });
    const { onboarding_sessions } = await client.rest.onboardingSessions.list({ limit: 5 });
    res.json({ channels, onboarding_sessions, feed });
  });

  router.post('/demo/api/onboarding', async (_req, res) => {
    const client = await sdk();
    const session = await client.rest.onboardingSessions.create({
      tenant_id: `demo-tenant-${Date.now()}`,
      tenant_name: 'Sunrise Bakery',
      success_redirect_url: `${deps.config.publicUrl}/demo/onboarded`,
      failure_redirect_url: `${deps.config.publicUrl}/demo/onboarded`,
      cancel_redirect_url: `${deps.config.publicUrl}/demo/onboarded`,
      metadata: { source: 'demo' },
    });
    log('step', 'Created an onboarding session', { id: session.id, onboarding_url: session.onboarding_url });
    res.json(session);
  });

  router.post('/demo/api/channels/:channel_id/send', async (req, res) => {
    const { to, text } = SendSchema.parse(req.body);
    const channelId = String(req.params.channel_id);
    const client = await sdk();
    let key = keys.get(channelId);
    if (!key) {
      const created = await client.rest.apiKeys.create(channelId);
      key = created.api_key;
      keys.set(channelId, key);
      const config = await fetch(`${created.address}/v1/configs/webhook`, {
        method: 'POST',
        headers: { 'D360-API-KEY': key, 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${deps.config.publicUrl}/demo/webhooks/channel` }),
      });
      log('step', 'Minted a channel API key and set the channel webhook', {
        key_id: created.id,
        webhook: (await config.json()) as unknown,
      });
    }
    const sent = await fetch(`${deps.config.publicUrl}/waba/messages`, {
      method: 'POST',
      headers: { 'D360-API-KEY': key, 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: to.replace(/^\+/, ''),
        type: 'text',
        text: { body: text },
      }),
    });
    const graph = (await sent.json()) as unknown;
    log(sent.ok ? 'step' : 'error', `POST /waba/messages → ${sent.status}`, graph);
    if (sent.ok) {
      // The sandbox plays the customer: a reply comes back through Meta's webhook and the relay.
      const channel = await client.rest.channels.get(channelId);
      setTimeout(() => {
        fetch(`${deps.meta.graphUrl.replace(/\/graph$/, '')}/control/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${appToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            phone_number_id: channel.phone_number_id,
            from: to.replace(/^\+/, ''),
            name: 'Ana',
            text: `Thanks! (re: ${text})`,
          }),
        }).catch((err) => log('error', 'The sandbox could not simulate the reply', String(err)));
      }, 500);
    }
    res.status(sent.status).json(graph);
  });

  return router;
}
