import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { MessageListQuerySchema } from '../../shared/schemas/messages.ts';
import { safeString } from '../../shared/schemas/safe-text.ts';
import { AppError } from '../errors.ts';
import { CustomHeadersSchema } from '../http/header-fields.ts';
import { parseJsonObject } from '../http/json-object.ts';
import type { Hub } from '../hub.ts';
import { listChannelMessages, toMessagePage } from '../modules/messages/message-read.service.ts';
import { ChannelKeyVerifier } from '../modules/messaging/channel-key-verifier.ts';
import { getChannelWebhook, setChannelWebhook } from '../modules/messaging/channel-webhook-config.service.ts';
import { channelHealth, forwardTemplates } from '../modules/messaging/messaging.service.ts';
import { requireChannelKey } from './channel-key-auth.ts';
import { tokenRefusedRecorder } from './token-refused.ts';

const WebhookConfigSchema = z
  .object({
    url: safeString().max(2048).nullable(),
    headers: CustomHeadersSchema.optional(),
  })
  .strict();

const TemplateNameSchema = safeString().regex(
  /^[a-z0-9_]{1,512}$/,
  'a template name: lowercase letters, digits and _',
);

/** The filters Graph's template list takes; anything else is refused rather than passed on. */
const TemplateQuerySchema = z
  .object({
    name: safeString().max(512).optional(),
    status: safeString()
      .regex(/^[A-Za-z_]{1,32}$/)
      .optional(),
    category: safeString()
      .regex(/^[A-Za-z_]{1,32}$/)
      .optional(),
    language: safeString()
      .regex(/^[A-Za-z_]{2,16}$/)
      .optional(),
    limit: safeString()
      .regex(/^\d{1,4}$/)
      .optional(),
    after: safeString().max(256).optional(),
    before: safeString().max(256).optional(),
  })
  .strict();

/**
 * The messaging API a channel API key unlocks, at the key's `address` (`${PUBLIC_URL}/waba`),
 * on 360dialog's paths: an app written for 360dialog only changes its base URL.
 */
export function wabaRouter(deps: Hub, verifier = new ChannelKeyVerifier(deps)): Router {
  const waba = Router({ caseSensitive: true });
  waba.use(requireChannelKey(verifier, deps.rateLimits));
  const tokenRefused = tokenRefusedRecorder(deps);
  // POST /messages is served before Express: see send-endpoint.ts.

  /** Graph's answer to the caller as it came (status, type, bytes). */
  const relay = (res: Response, graph: { status: number; contentType: string; body: Buffer }) => {
    res.status(graph.status).set({ 'content-type': graph.contentType, 'content-length': graph.body.length });
    res.end(graph.body);
  };

  // Templates of the channel's WABA (360dialog's /v1/configs/templates), forwarded to Graph.
  waba.get('/v1/configs/templates', async (req: Request, res: Response) => {
    const query = Object.fromEntries(
      Object.entries(TemplateQuerySchema.parse(req.query)).filter(
        (e): e is [string, string] => e[1] !== undefined,
      ),
    );
    const grant = res.locals.grant;
    relay(
      res,
      await forwardTemplates(deps.graph, grant, 'GET', { query }, () => tokenRefused(grant.channelId)),
    );
  });
  waba.post(
    '/v1/configs/templates',
    express.raw({ type: () => true, limit: '256kb' }),
    async (req: Request, res: Response) => {
      if (!req.is('application/json'))
        throw new AppError('unsupported_media_type', 'Send the template as application/json');
      const body = req.body as Buffer;
      parseJsonObject(body, 'The template (a Graph message_templates body)');
      const grant = res.locals.grant;
      relay(
        res,
        await forwardTemplates(deps.graph, grant, 'POST', { body }, () => tokenRefused(grant.channelId)),
      );
    },
  );
  waba.delete('/v1/configs/templates/:name', async (req: Request<{ name: string }>, res: Response) => {
    const name = TemplateNameSchema.parse(req.params.name);
    const grant = res.locals.grant;
    relay(
      res,
      await forwardTemplates(deps.graph, grant, 'DELETE', { query: { name } }, () =>
        tokenRefused(grant.channelId),
      ),
    );
  });

  waba.use(express.json({ limit: '64kb' }));

  waba.get('/v1/configs/webhook', async (_req, res) => {
    res.json(await getChannelWebhook(deps.orm.em.fork(), deps.secretBox, res.locals.grant.permissionId));
  });

  waba.post('/v1/configs/webhook', async (req, res) => {
    const input = WebhookConfigSchema.parse(req.body);
    const config = await setChannelWebhook(
      deps.orm.em.fork(),
      {
        secretBox: deps.secretBox,
        urlPolicy: deps.urlPolicy,
        clock: deps.clock,
      },
      res.locals.grant.permissionId,
      input,
      res.locals.actor,
    );
    res.json(config);
  });

  // The channel's message log (the partner API's `channels.messages`), read with its key.
  waba.get('/v1/messages', async (req: Request, res: Response) => {
    const query = MessageListQuerySchema.parse(req.query);
    const page = await listChannelMessages(deps.orm.em.fork(), res.locals.grant.channelId, query);
    res.set('cache-control', 'no-store').json(toMessagePage(page));
  });

  waba.get('/health_status', async (_req, res) => {
    const grant = res.locals.grant;
    const webhook = await getChannelWebhook(deps.orm.em.fork(), deps.secretBox, grant.permissionId);
    const { health, tokenRefused: refused } = await channelHealth(deps.graph, grant, webhook.url !== null);
    if (refused) tokenRefused(grant.channelId);
    res.json(health);
  });

  waba.use((req) => {
    throw new AppError('not_found', `No route ${req.method} /waba${req.path}`);
  });
  return waba;
}
