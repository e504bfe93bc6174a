import { Router } from 'express';
import { z } from 'zod';
import type { PartnerHubClient } from '../../client/src/sdk.ts';
import { safeString } from '../../shared/schemas/safe-text.ts';
import type { Hub } from '../hub.ts';
import { PRICING_CATEGORIES } from '../sandbox/webhooks/payloads.ts';
import { sandboxPlay } from './sandbox-play.ts';

export type FeedKind = 'event' | 'inbound' | 'step' | 'error';

/** What the demo's route groups share: the partner's SDK and the live feed. */
export interface DemoContext {
  sdk: () => Promise<PartnerHubClient>;
  log: (kind: FeedKind, title: string, detail: unknown) => void;
}

const SendSchema = z.object({ to: safeString().regex(/^\+?\d{8,15}$/), text: safeString().min(1).max(1000) });
/** The pricing category the sandbox's delivered status reports (Meta decides it for real). */
const SentSchema = SendSchema.extend({ category: z.enum(PRICING_CATEGORIES).default('service') });

/** How long the sandbox "takes" to play Meta or the customer, so the feed reads in order. */
const SANDBOX_PAUSE_MS = 500;

/**
 * The demo's per-channel actions, each through the public surface a partner integration uses:
 * a channel API key on `/waba` (send, templates, webhook), and the sandbox's control API where
 * Meta or the customer would act (the reply, the template review, the business app's echo).
 */
export function demoChannelRoutes(deps: Hub, ctx: DemoContext): Router {
  const router = Router({ caseSensitive: true });
  const keys = new Map<string, string>();
  const appToken = `${deps.meta.appId}|${deps.meta.appSecret}`;
  const control = (path: string, body: unknown) =>
    fetch(`${deps.meta.graphUrl.replace(/\/graph$/, '')}/control${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${appToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const later = (what: string, action: () => Promise<Response>, pauses = 1) =>
    setTimeout(() => {
      action()
        .then((res) => {
          if (!res.ok) ctx.log('error', `The sandbox could not ${what}`, `HTTP ${res.status}`);
        })
        .catch((err) => ctx.log('error', `The sandbox could not ${what}`, String(err)));
    }, SANDBOX_PAUSE_MS * pauses);
  const waba = (key: string, path: string, body: unknown) =>
    fetch(`${deps.config.publicUrl}/waba${path}`, {
      method: 'POST',
      headers: { 'D360-API-KEY': key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** The channel's key, minted on first use along with the channel webhook pointing at the demo. */
  async function channelKey(channelId: string): Promise<string> {
    const known = keys.get(channelId);
    if (known) return known;
    const created = await (await ctx.sdk()).rest.apiKeys.create(channelId);
    keys.set(channelId, created.api_key);
    const config = await waba(created.api_key, '/v1/configs/webhook', {
      url: `${deps.config.publicUrl}/demo/webhooks/channel`,
    });
    ctx.log('step', 'Minted a channel API key and set the channel webhook', {
      key_id: created.id,
      webhook: (await config.json()) as unknown,
    });
    return created.api_key;
  }

  router.post('/demo/api/channels/:channel_id/send', async (req, res) => {
    const { to, text, category } = SentSchema.parse(req.body);
    const channelId = String(req.params.channel_id);
    const sent = await waba(await channelKey(channelId), '/messages', {
      messaging_product: 'whatsapp',
      to: to.replace(/^\+/, ''),
      type: 'text',
      text: { body: text },
    });
    const graph = (await sent.json()) as { messages?: { id?: string }[] };
    ctx.log(sent.ok ? 'step' : 'error', `POST /waba/messages → ${sent.status}`, graph);
    const wamid = graph.messages?.[0]?.id;
    if (sent.ok) {
      const channel = await (await ctx.sdk()).rest.channels.get(channelId);
      // A linked device has no Meta to report delivery: its customer replies to the phone.
      if (channel.connection_type === 'linked_device') {
        later(
          'simulate the reply',
          async () => {
            const reply = await sandboxPlay(deps, `/sessions/${channel.phone_number_id}/inbound`, {
              from: to.replace(/^\+/, ''),
              push_name: 'Ana',
              text: `Thanks! (re: ${text})`,
            });
            return new Response(JSON.stringify(reply.body), { status: reply.status });
          },
          2,
        );
        res.status(sent.status).json(graph);
        return;
      }
      // The sandbox plays Meta delivering it: the status carries the `pricing` the usage ledger
      // counts, so the demo's traffic shows up on a statement.
      if (wamid)
        later('simulate the delivery', () =>
          control('/statuses', {
            phone_number_id: channel.phone_number_id,
            message_id: wamid,
            status: 'delivered',
            recipient_id: to.replace(/^\+/, ''),
            category,
          }),
        );
      // Then the customer: a reply comes back through Meta's webhook and the relay.
      later(
        'simulate the reply',
        () =>
          control('/messages', {
            phone_number_id: channel.phone_number_id,
            from: to.replace(/^\+/, ''),
            name: 'Ana',
            text: `Thanks! (re: ${text})`,
          }),
        2,
      );
    }
    res.status(sent.status).json(graph);
  });

  // A template goes in PENDING; the sandbox plays Meta's review, whose status webhook reaches
  // the partner as `template.status_updated` (and the channel webhook as Meta's change).
  router.post('/demo/api/channels/:channel_id/template', async (req, res) => {
    const channelId = String(req.params.channel_id);
    const created = await waba(await channelKey(channelId), '/v1/configs/templates', {
      name: `order_update_${Date.now().toString(36)}`,
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Your order {{1}} has shipped.' }],
    });
    const graph = (await created.json()) as { id?: string };
    ctx.log(created.ok ? 'step' : 'error', `POST /waba/v1/configs/templates → ${created.status}`, graph);
    if (created.ok && graph.id) {
      const id = graph.id;
      later('review the template', () => control(`/templates/${id}/review`, { status: 'APPROVED' }));
    }
    res.status(created.status).json(graph);
  });

  // A coexistence number's business writes from the WhatsApp Business app on its phone: Meta
  // sends the echo, which reaches the channel webhook as `message.echo`.
  router.post('/demo/api/channels/:channel_id/echo', async (req, res) => {
    const { to, text } = SendSchema.parse(req.body);
    const channelId = String(req.params.channel_id);
    await channelKey(channelId);
    const channel = await (await ctx.sdk()).rest.channels.get(channelId);
    const sent = await control('/message_echoes', {
      phone_number_id: channel.phone_number_id,
      to: to.replace(/^\+/, ''),
      text,
    });
    const answer = (await sent.json()) as unknown;
    ctx.log(
      sent.ok ? 'step' : 'error',
      'The business replied from its WhatsApp Business app (sandbox)',
      answer,
    );
    res.status(sent.status).json(answer);
  });

  return router;
}
