import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { acceptsIdempotencyKey, type Operation } from '../../server/api/operation.ts';
import { partnerApiOperations } from '../../server/api/operations/index.ts';
import { logoutLinkedDevice } from '../../server/linked-devices/linked-device-actions.service.ts';
import { LinkedDeviceSession } from '../../server/linked-devices/linked-device-session.entity.ts';
import { createLinkedDeviceSession } from '../../server/linked-devices/sessions.service.ts';
import { Statement } from '../../server/modules/billing/statement.entity.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { channelSecretContext } from '../../server/modules/channels/channel-secrets.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { IdempotencyKey } from '../../server/modules/idempotency/idempotency-key.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { createEndpoint } from '../../server/modules/webhooks/endpoints.service.ts';
import { recordEvent } from '../../server/modules/webhooks/record-events.ts';
import { WebhookDelivery } from '../../server/modules/webhooks/webhook-delivery.entity.ts';
import { appRouter } from '../../server/trpc/router.ts';
import { channelApiKeyFactory, onboardingSessionFactory, partnerTokenFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer, partnerWithChannel } from '../support/scenarios.ts';

const hub = useTestHub({
  RATE_LIMIT_READ_PER_MINUTE: '100000',
  RATE_LIMIT_WRITE_PER_MINUTE: '100000',
  LINKED_DEVICES_ENABLED: 'true',
});

/** Inputs that let every operation succeed on a fresh partner. */
const VALID_PAYLOADS: Record<string, object> = {
  updatePartner: { name: 'Renamed' },
  updateClient: { partner_payload: 'tenant-7' },
  createWebhookEndpoint: { url: 'https://partner.example/hooks' },
  updateWebhookEndpoint: { description: 'orders' },
  recoverDeliveries: { since: '2000-01-01T00:00:00Z' },
  revealChannelSecrets: { secret_types: ['access_token'] },
  createOnboardingSession: { tenant_id: 'tenant-7' },
};

/** tRPC path of each operation, read from the router itself. */
const trpcPaths = new Map<string, string>(
  Object.entries(
    appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { operationId?: string } } }>,
  ).map(([path, procedure]) => [procedure._def.meta?.operationId ?? `(none: ${path})`, path]),
);

/** A partner owning one of everything an operation can act on; each call gets its own. */
async function world() {
  const base = await partnerWithChannel(hub, 'Both Transports Co');
  const em = hub.em();
  const channel = await em.findOneOrFail(Channel, base.channel.id);
  channel.metaTokenSealed = hub.deps.secretBox.encrypt(
    'EAAGbusiness',
    channelSecretContext(channel.id, 'meta_token'),
  );
  const key = await channelApiKeyFactory(em, base.partner, base.channel);
  const spare = await partnerTokenFactory(em, base.partner);
  const owner = await em.findOneOrFail(Partner, base.partner.id);
  const { endpoint } = await createEndpoint(
    em,
    { clock: hub.clock, secretBox: hub.deps.secretBox, urlPolicy: hub.deps.urlPolicy },
    owner,
    { url: 'https://partner.example/extra' },
    { type: 'operator', id: 'test' },
  );
  await em.flush();
  const event = await em.transactional((tx) =>
    recordEvent(tx, hub.clock, { partnerId: owner.id, type: 'ping', data: { message: 'hello' } }),
  );
  const delivery = await em.findOneOrFail(WebhookDelivery, { event: event.id, destination: endpoint });
  const session = (await onboardingSessionFactory(hub.em(), owner)).session;
  const statement = em.create(Statement, {
    partner: owner,
    client: null,
    period: '2026-11',
    paymentModel: 'partner',
    currency: 'eur',
    lines: [],
    totalMinor: 0,
    status: 'paid',
    issuedAt: hub.clock.now(),
  });
  await em.flush();
  const linked = await linkedSessions(owner, base.client.id);
  const ids: Record<string, string> = {
    partner_id: owner.id,
    client_id: base.client.id,
    channel_id: base.channel.id,
    key_id: key.record.id,
    token_id: spare.record.id,
    endpoint_id: endpoint.id,
    event_id: event.id,
    delivery_id: delivery.id,
    session_id: session.id,
    statement_id: statement.id,
  };
  return { token: base.token, partnerId: owner.id, ids, linked };
}

/**
 * Linked-device sessions with no worker running them: one showing a QR code (what `qr` and
 * `logout` act on), one logged out (what `restart` acts on).
 */
async function linkedSessions(owner: Partner, clientId: string) {
  const em = hub.em();
  const client = await em.findOneOrFail(Client, clientId);
  const actor = { type: 'operator', id: 'test' } as const;
  const showing = await createLinkedDeviceSession(em, hub.deps, { partner: owner, client }, actor);
  const loggedOut = await createLinkedDeviceSession(em, hub.deps, { partner: owner, client }, actor);
  const qr = await em.findOneOrFail(LinkedDeviceSession, showing.id);
  Object.assign(qr, {
    status: 'QR',
    qr: '2@test-qr-payload',
    pairingExpiresAt: new Date(Date.now() + 60_000),
  });
  await em.flush();
  await logoutLinkedDevice(hub.deps, em, loggedOut, actor);
  return { showing: showing.id, loggedOut: loggedOut.id };
}

type World = Awaited<ReturnType<typeof world>>;

/** The world's ids for `op`: a linked-device operation's `session_id` is a linked-device session. */
function idsFor(op: Operation, w: World): Record<string, string> {
  if (!op.path.includes('/linked_device_sessions/')) return w.ids;
  const session = op.operationId === 'restartLinkedDeviceSession' ? w.linked.loggedOut : w.linked.showing;
  return { ...w.ids, session_id: session };
}

function overRest(op: Operation, w: World, idempotencyKey?: string) {
  const ids = idsFor(op, w);
  const path = `/api/v2${op.path.replaceAll(/:(\w+)/g, (_, name: string) => ids[name] ?? `missing-${name}`)}`;
  let req = request(hub.app)[op.method](path).set(bearer(w.token));
  if (idempotencyKey) req = req.set('Idempotency-Key', idempotencyKey);
  return op.method === 'get' || op.method === 'delete' ? req : req.send(VALID_PAYLOADS[op.operationId] ?? {});
}

function overTrpc(op: Operation, w: World, idempotencyKey?: string) {
  const path = trpcPaths.get(op.operationId);
  const idNames = Object.keys((op.params as unknown as { shape: object }).shape).filter(
    (k) => k !== 'partner_id',
  );
  const input = {
    ...Object.fromEntries(idNames.map((name) => [name, idsFor(op, w)[name]])),
    ...(VALID_PAYLOADS[op.operationId] ?? {}),
  };
  if (op.method === 'get')
    return request(hub.app)
      .get(`/trpc/${path}`)
      .query({ input: JSON.stringify(input) })
      .set(bearer(w.token));
  let req = request(hub.app).post(`/trpc/${path}`).set(bearer(w.token));
  if (idempotencyKey) req = req.set('Idempotency-Key', idempotencyKey);
  return req.send(input);
}

/**
 * A rotation supersedes the token that asked for it, and a superseded token may not read the
 * stored answer either (docs/security.md, M1): its replay is refused, the key still stored.
 */
const REPLAY_REFUSED: Record<string, string> = { rotatePartnerToken: 'token_superseded' };

const storedKeys = (partnerId: string) => hub.em().count(IdempotencyKey, { partner: partnerId });

const cases = partnerApiOperations.map((op) => [op.operationId, op] as const);

describe('every operation is declared once and served by both transports', () => {
  it('the tRPC router serves exactly the declared operations, each once', () => {
    expect([...trpcPaths.keys()].sort()).toEqual(partnerApiOperations.map((op) => op.operationId).sort());
    expect(trpcPaths.size).toBe(55);
  });

  it.each(cases)('%s answers the same over REST and tRPC', async (_id, op) => {
    const rest = await overRest(op, await world());
    expect(rest.status, JSON.stringify(rest.body)).toBe(op.status);
    const trpc = await overTrpc(op, await world());
    expect(trpc.status, JSON.stringify(trpc.body)).toBe(200);
    const data = trpc.body.result?.data;
    if (op.response) {
      expect(op.response.safeParse(rest.body).success).toBe(true);
      expect(op.response.safeParse(data).success, JSON.stringify(data)).toBe(true);
      expect(Object.keys(data).sort()).toEqual(Object.keys(rest.body).sort());
    } else {
      expect(data).toBeUndefined();
    }
    // Secrets are never kept by a cache, whichever way they were asked for.
    if (op.sensitive) {
      expect(rest.headers['cache-control']).toBe('no-store');
      expect(trpc.headers['cache-control']).toBe('no-store');
    }
  });

  it.each(cases.filter(([, op]) => op.method !== 'get'))(
    '%s honours Idempotency-Key on both transports exactly when declared to',
    async (_id, op) => {
      for (const send of [overRest, overTrpc]) {
        const w = await world();
        const first = await send(op, w, 'same-key');
        const second = await send(op, w, 'same-key');
        expect(first.status, JSON.stringify(first.body)).toBeLessThan(300);
        if (REPLAY_REFUSED[op.operationId]) {
          const code = second.body.error?.data?.error_code ?? second.body.error?.code;
          expect(code).toBe(REPLAY_REFUSED[op.operationId]);
          expect(await storedKeys(w.partnerId)).toBe(1);
        } else if (acceptsIdempotencyKey(op)) {
          expect(second.status).toBe(first.status);
          // The stored answer, not a second run: new ids, secrets or events would differ.
          expect(second.body).toEqual(first.body);
          expect(await storedKeys(w.partnerId)).toBe(1);
        } else {
          expect(await storedKeys(w.partnerId)).toBe(0);
        }
      }
    },
  );
});
