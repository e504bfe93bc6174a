import express, { type Request, type Response, Router } from 'express';
import { sameSecret } from '../crypto/same-secret.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { AppError } from '../errors.ts';
import type { Hub } from '../hub.ts';
import { verifyMetaSignature } from '../meta/webhook-signature.ts';
import { InboundRecorder } from '../modules/inbound/inbound-recorder.service.ts';
import { currentTraceParent } from '../observability/trace-context.ts';

/**
 * Meta's webhook for the hub's app (or the sandbox's): the subscription handshake, and signed
 * deliveries that are recorded durably before the 200 and then fanned out to channel webhooks.
 */

function jsonObjectOrNull(raw: Buffer): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export function metaWebhookRoutes(deps: Hub, recorder = new InboundRecorder(deps)): Router {
  const router = Router({ caseSensitive: true });

  router.get('/meta/webhook', (req: Request, res: Response) => {
    const { 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge } = req.query;
    if (
      mode !== 'subscribe' ||
      typeof token !== 'string' ||
      !sameSecret(token, deps.meta.verifyToken) ||
      typeof challenge !== 'string'
    ) {
      throw new AppError('forbidden', 'Webhook verification failed: wrong hub.mode or hub.verify_token');
    }
    res.type('text/plain').send(challenge);
  });

  router.post(
    '/meta/webhook',
    express.raw({ type: () => true, limit: '3mb' }),
    async (req: Request, res: Response) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const relayed = deps.metrics.inboundMetaWebhooks;
      if (!verifyMetaSignature(deps.meta.appSecret, raw, req.get('x-hub-signature-256'))) {
        relayed.inc({ result: 'rejected' });
        throw new AppError('unauthorized', 'Missing or invalid X-Hub-Signature-256');
      }
      // Whatever Meta signed is kept, even bytes that do not parse; only a JSON object is routed.
      try {
        await recorder.record({ raw, parsed: jsonObjectOrNull(raw), traceParent: currentTraceParent() });
      } catch (err) {
        relayed.inc({ result: 'failed' });
        // Nothing was committed: an error makes Meta deliver it again later.
        if (err instanceof AppError || isDatabaseUnavailable(err)) throw err;
        throw new AppError('not_ready', 'The webhook could not be stored; retry later');
      }
      relayed.inc({ result: 'relayed' });
      res.status(200).type('text/plain').send('EVENT_RECEIVED');
    },
  );
  return router;
}
