import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * URLs as logged: query strings can carry emails, signatures and verify tokens, and an
 * onboarding path is itself a credential, so neither reaches the logs.
 */
export function redactUrl(url: string): string {
  // Case-insensitive and slash-tolerant: a variant that is not routed still carries the token.
  const path = url
    .split('?')[0]!
    .replace(/^\/+onboard\/+[^/]+/i, '/onboard/[redacted]')
    .replace(/^\/+console\/+invite\/+[^/]+/i, '/console/invite/[redacted]');
  return url.includes('?') ? `${path}?[redacted]` : path;
}

/**
 * One log line per request, with its request id (the caller's `X-Request-Id` when sane, so logs
 * correlate across services, echoed back). Works on bare Node requests too, so the routes served
 * before Express (`/waba/messages`) log exactly as the others.
 */
export function requestLogging(logger: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Probes, scrapes and the demo page's once-a-second poll would drown everything else.
    autoLogging: {
      ignore: (req) =>
        req.url === '/livez' ||
        req.url === '/readyz' ||
        req.url === '/metrics' ||
        req.url === '/demo/api/state',
    },
    // Headers are left out: they carry credentials, and the request id already correlates.
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
