import { type Request, type Response, Router } from 'express';
import {
  WhathooksMessageListQuerySchema,
  WhathooksMessageSendSchema,
  WhathooksSessionCreateSchema,
  WhathooksSessionIdParamsSchema,
  WhathooksSessionListQuerySchema,
} from '../../shared/schemas/whathooks.ts';
import { AppError } from '../errors.ts';
import { jsonBody } from '../http/json-body.ts';
import type { Hub } from '../hub.ts';
import { logoutLinkedDevice } from '../linked-devices/linked-device-actions.service.ts';
import { createLinkedDeviceSession, getLinkedDeviceSession } from '../linked-devices/sessions.service.ts';
import { createClient, getClientOfPartner } from '../modules/clients/clients.service.ts';
import type { ChannelKeyVerifier } from '../modules/messaging/channel-key-verifier.ts';
import { lazyEntityManager } from '../rest/locals.ts';
import { parseOrFail } from '../rest/validation.ts';
import {
  assertPartnerCaller,
  callerSession,
  callerSessionChannels,
  callerSessions,
  requireWhathooksCaller,
} from './caller.ts';
import { listWhathooksMessages, sendWhathooksMessage, toWhathooksMessage } from './messages.ts';
import { buildWhathooksOpenApiDocument } from './openapi.ts';
import { toWhathooksSession } from './session-body.ts';

/**
 * whathooks' REST API at `/v1`, for apps moving over: the same paths, bodies (camelCase) and
 * statuses, on the hub's services, credentials and error bodies (docs/linked-devices.md,
 * "whathooks migration mapping"). Mounted only with LINKED_DEVICES_ENABLED.
 */
export function whathooksRouter(deps: Hub, verifier: ChannelKeyVerifier): Router {
  const v1 = Router({ caseSensitive: true });
  const openApi = buildWhathooksOpenApiDocument();
  v1.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  v1.use((_req, res, next) => {
    lazyEntityManager(res, deps);
    next();
  });
  // Authenticate (and count) before reading a body, as /api/v2 does.
  v1.use(requireWhathooksCaller(deps, verifier), jsonBody('256kb'));
  const probeMs = deps.config.linkedDevices.probeIntervalMs;
  const view = (s: Parameters<typeof toWhathooksSession>[0]) =>
    toWhathooksSession(s, deps.clock.now(), probeMs);

  v1.get('/sessions', async (req: Request, res: Response) => {
    const q = parseOrFail(WhathooksSessionListQuerySchema, req.query, 'query');
    const page = await callerSessions(res, q);
    res.json({ sessions: page.items.map(view), nextCursor: page.nextCursor });
  });

  v1.post('/sessions', async (req: Request, res: Response) => {
    assertPartnerCaller(res);
    const body = parseOrFail(WhathooksSessionCreateSchema, req.body ?? {}, 'body');
    const { em, partner, actor } = res.locals;
    const created = await em.transactional(async (tx) => {
      const client = body.clientId
        ? await getClientOfPartner(tx, partner, body.clientId)
        : await createClient(tx, deps.clock, partner, { name: body.name ?? null }, actor);
      return createLinkedDeviceSession(
        tx,
        deps,
        { partner, client, name: body.name ?? null, pairingPhoneNumber: body.pairingPhoneNumber ?? null },
        actor,
      );
    });
    res.status(201).json(view(await getLinkedDeviceSession(em, partner, created.id)));
  });

  // A path's id is text the database can hold (no NUL, no lone surrogate) before it is looked up.
  const sessionOfPath = (req: Request<{ id: string }>, res: Response) =>
    callerSession(res, parseOrFail(WhathooksSessionIdParamsSchema, req.params, 'path').id);

  v1.get('/sessions/:id', async (req: Request<{ id: string }>, res: Response) => {
    res.json(view(await sessionOfPath(req, res)));
  });

  v1.post('/sessions/:id/logout', async (req: Request<{ id: string }>, res: Response) => {
    const session = await sessionOfPath(req, res);
    await logoutLinkedDevice(deps, res.locals.em, session, res.locals.actor);
    res.json(view(await callerSession(res, session.id)));
  });

  v1.post('/messages', async (req: Request, res: Response) => {
    const body = parseOrFail(WhathooksMessageSendSchema, req.body, 'body');
    const session = await callerSession(res, body.sessionId);
    res.status(201).json(await sendWhathooksMessage(deps, res.locals.em, session, body));
  });

  v1.get('/messages', async (req: Request, res: Response) => {
    const q = parseOrFail(WhathooksMessageListQuerySchema, req.query, 'query');
    const sessions = await callerSessionChannels(res, q.sessionId);
    const sessionOf = new Map(sessions.map((s) => [s.channelId, s.id]));
    const page = await listWhathooksMessages(res.locals.em, [...sessionOf.keys()], q);
    res.json({
      messages: page.items.map((m) => toWhathooksMessage(m, sessionOf.get(m.channel.id)!)),
      nextCursor: page.nextCursor,
    });
  });

  v1.use((req) => {
    throw new AppError('not_found', `No route ${req.method} ${req.baseUrl}${req.path}`);
  });
  return v1;
}
