import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import typeis from 'type-is';
import { AppError } from '../errors.ts';
import { answerError } from '../http/error-handler.ts';
import { parseJsonObject } from '../http/json-object.ts';
import type { Hub } from '../hub.ts';
import type { ChannelKeyVerifier } from '../modules/messaging/channel-key-verifier.ts';
import { sendMessage } from '../modules/messaging/messaging.service.ts';
import { authenticateChannelKey } from './channel-key-auth.ts';
import { tokenRefusedRecorder } from './token-refused.ts';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** What the app-wide middleware does to every answer, given to the endpoint by the app. */
export interface EdgeConcerns {
  /** The request log line (as pino-http writes it); returns the request id; `onFinish` once answered. */
  logRequest(req: IncomingMessage, res: ServerResponse, onFinish: () => void): string;
  /** The headers every answer carries (helmet's, no-store), `[name, value, …]`. */
  headers: readonly string[];
  /** The caller's address as Express would give it (`trust proxy`). */
  ipOf(req: IncomingMessage): string | undefined;
}

/** `POST /waba/messages` (with or without a query string or a trailing slash), as the router would match it. */
export function isSendRequest(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  const end = url.indexOf('?');
  const path = end === -1 ? url : url.slice(0, end);
  return path === '/waba/messages' || path === '/waba/messages/';
}

/**
 * `POST /waba/messages`, the messaging API's hot path, served on the bare Node request before
 * Express: the proxy's goal (issue 14) is to cost a fraction of Graph's own hop, and Express's
 * router, its per-request prototype swaps and the other mounts' matching are most of what a
 * send costs the hub. Everything else a route gets is kept and shared with the app: the log
 * line and request id, helmet's headers, no-store, the metrics label, the auth-failure budget,
 * body-parser's limits and errors, and the one error table. The success answer goes out in
 * one `writeHead` (the static headers precomputed): nothing is set header by header.
 */
export function sendEndpoint(hub: Hub, verifier: ChannelKeyVerifier, edge: EdgeConcerns): Listener {
  const readBody = express.raw({ type: () => true, limit: '1mb' }) as unknown as (
    req: IncomingMessage,
    res: ServerResponse,
    next: (err?: unknown) => void,
  ) => void;
  const read = (req: IncomingMessage, res: ServerResponse) =>
    new Promise<Buffer | undefined>((resolve, reject) => {
      readBody(req, res, (err) => (err ? reject(err) : resolve((req as { body?: Buffer }).body)));
    });
  const tokenRefused = tokenRefusedRecorder(hub);
  const histogram = hub.metrics.httpDuration;

  return (req, res) => {
    const startedAt = performance.now();
    let route = '/waba/*';
    const requestId = edge.logRequest(req, res, () => {
      histogram.observe(
        { method: 'POST', route, status: String(res.statusCode) },
        (performance.now() - startedAt) / 1000,
      );
    });
    const serve = async () => {
      const grant = await authenticateChannelKey(verifier, hub.rateLimits, {
        headers: req.headers,
        ip: edge.ipOf(req),
        setHeader: (name, value) => res.setHeader(name, value),
      });
      route = '/waba/messages';
      const body = await read(req, res);
      if (!typeis(req, ['application/json'])) {
        throw new AppError('unsupported_media_type', 'Send the message as application/json');
      }
      const sent = parseJsonObject(body ?? Buffer.alloc(0), 'The message (a Cloud API message body)');
      const graph = await sendMessage(hub, grant, body!, () => tokenRefused(grant.channelId));
      // Graph's bytes as they came: no re-serialising, no ETag over a one-off response.
      const headers = [
        ...edge.headers,
        'X-Request-Id',
        requestId,
        'Content-Type',
        graph.contentType,
        'Content-Length',
        String(graph.body.length),
      ];
      if (graph.retryAfterSeconds !== undefined) headers.push('Retry-After', String(graph.retryAfterSeconds));
      res.writeHead(graph.status, headers);
      res.end(graph.body);
      hub.outboundLog.add(grant.channelId, sent, graph);
    };
    serve().catch((err: unknown) => {
      if (!res.headersSent) {
        for (let i = 0; i < edge.headers.length; i += 2)
          res.setHeader(edge.headers[i]!, edge.headers[i + 1]!);
        res.setHeader('X-Request-Id', requestId);
      }
      answerError(err, hub.logger, requestId, res);
    });
  };
}
