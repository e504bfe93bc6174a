import { readFileSync } from 'node:fs';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { createPartnerHubClient, type PartnerHubClient } from '../../client/src/sdk.ts';
import { verifyWebhook, verifyWebhookRaw } from '../../client/src/webhooks.ts';
import { AppError } from '../errors.ts';
import type { Hub } from '../hub.ts';
import { Partner } from '../modules/partners/partner.entity.ts';
import { demoBillingRoutes } from './demo-billing-routes.ts';
import { demoChannelRoutes, type FeedKind } from './demo-channel-routes.ts';
import { demoLinkedDeviceRoutes, demoLinkedDevices } from './demo-linked-device-routes.ts';
import { demoCallbackPage, demoOnboardedPage, demoPage } from './demo-pages.ts';
import { type DemoPartner, ensureDemoPartner } from './demo-partner.ts';

interface FeedItem {
  at: string;
  kind: FeedKind;
  title: string;
  detail: unknown;
}

/**
 * `/demo` (sandbox mode only): a partner's portal and backend in one page, built on the public
 * surface only — the SDK over HTTP, the connect button, `/waba` with a channel key, the sandbox
 * control API — so what it shows is what an integration does.
 */
export function demoRoutes(deps: Hub): Router {
  const router = Router({ caseSensitive: true });
  const feed: FeedItem[] = [];
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

  // Same-origin JSON only: a custom header cannot be sent cross-site without CORS.
  const demoCall = (req: Request, _res: Response, next: NextFunction) => {
    if (req.get('x-demo') !== '1') throw new AppError('forbidden', 'Demo API calls come from the demo page');
    next();
  };

  for (const name of ['demo.js', 'demo-billing.js', 'callback.js']) {
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
    const { paymentModel } = await deps.orm.em.fork().findOneOrFail(Partner, p.id);
    res.send(
      demoPage({
        hubUrl: deps.config.publicUrl,
        partnerId: p.id,
        paymentModel,
        linkedDevices: deps.config.linkedDevices.enabled,
      }),
    );
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
        entry?: { changes?: { value?: ChannelChangeValue; field?: string }[] }[];
      };
      const change = body.entry?.[0]?.changes?.[0];
      log('inbound', channelWebhookTitle(change?.field, change?.value), change?.value);
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
    const linked_devices = await demoLinkedDevices(deps, client);
    res.json({ channels, onboarding_sessions, linked_devices, feed });
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

  router.use(demoChannelRoutes(deps, { sdk, log }));
  if (deps.config.linkedDevices.enabled) router.use(demoLinkedDeviceRoutes(deps, { sdk, log }));
  router.use(demoBillingRoutes(deps, { demo, sdk, log }));

  return router;
}

type ChannelChangeValue = {
  messages?: { text?: { body?: string }; from?: string; from_user_id?: string }[];
  statuses?: {
    status?: string;
    recipient_id?: string;
    pricing?: { category?: string; billable?: boolean };
  }[];
  message_echoes?: { text?: { body?: string }; to?: string }[];
};

/** One line for what the channel webhook received: a customer's message, an app echo, or Meta's change. */
function channelWebhookTitle(field: string | undefined, value: ChannelChangeValue | undefined): string {
  const message = value?.messages?.[0];
  if (message)
    return `Message from ${message.from ? `+${message.from}` : (message.from_user_id ?? 'an unknown contact')}: ${message.text?.body ?? '(non-text)'}`;
  const echo = value?.message_echoes?.[0];
  if (echo)
    return `Echo: the business wrote to +${echo.to} from its WhatsApp Business app: ${echo.text?.body ?? '(non-text)'}`;
  const status = value?.statuses?.[0];
  if (status) {
    const pricing = status.pricing
      ? ` (${status.pricing.category ?? 'unknown'}, ${status.pricing.billable ? 'billable' : 'free'})`
      : '';
    return `Status: ${status.status ?? 'unknown'} to +${status.recipient_id ?? '?'}${pricing}`;
  }
  if (field && field !== 'messages') return `Meta's ${field} (channel webhook)`;
  return 'Status update';
}
