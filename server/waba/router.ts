import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { safeString } from '../../shared/schemas/safe-text.ts';
import { AppError } from '../errors.ts';
import { CustomHeadersSchema } from '../http/header-fields.ts';
import { parseJsonObject } from '../http/json-object.ts';
import type { Hub } from '../hub.ts';
import { ChannelKeyVerifier } from '../modules/messaging/channel-key-verifier.ts';
import { getChannelWebhook, setChannelWebhook } from '../modules/messaging/channel-webhook-config.service.ts';
import { channelHealth, markTokenRefused, sendMessage } from '../modules/messaging/messaging.service.ts';
import { requireChannelKey } from './channel-key-auth.ts';

const WebhookConfigSchema = z
  .object({
    url: safeString().max(2048).nullable(),
    headers: CustomHeadersSchema.optional(),
  })
  .strict();

/**
 * The messaging API a channel API key unlocks, at the key's `address` (`${PUBLIC_URL}/waba`),
 * on 360dialog's paths: an app written for 360dialog only changes its base URL.
 */
export function wabaRouter(deps: Hub, verifier = new ChannelKeyVerifier(deps)): Router {
  const waba = Router({ caseSensitive: true });
  waba.use(requireChannelKey(verifier, deps.rateLimits));
  const tokenRefused = (channelId: string) => {
    markTokenRefused(deps.orm.em.fork(), deps.clock, channelId).catch((err) =>
      deps.logger.warn({ err, channelId }, 'could not record the refused Meta token'),
    );
  };

  waba.post(
    '/messages',
    express.raw({ type: () => true, limit: '1mb' }),
    async (req: Request, res: Response) => {
      if (!req.is('application/json')) {
        throw new AppError('unsupported_media_type', 'Send the message as application/json');
      }
      const body = req.body as Buffer;
      parseJsonObject(body, 'The message (a Cloud API message body)');
      const grant = res.locals.grant;
      const graph = await sendMessage(deps.graph, grant, body, () => tokenRefused(grant.channelId));
      // Graph's bytes as they came: no re-serialising, no ETag over a one-off response.
      res
        .status(graph.status)
        .set({ 'content-type': graph.contentType, 'content-length': graph.body.length });
      res.end(graph.body);
    },
  );

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
