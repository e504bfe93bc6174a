import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../server/api/operation.ts';
import { partnerApiOperations } from '../../server/api/operations/index.ts';
import { LinkedDeviceSession } from '../../server/linked-devices/linked-device-session.entity.ts';
import { createLinkedDeviceSession } from '../../server/linked-devices/sessions.service.ts';
import { ChannelApiKey } from '../../server/modules/api-keys/channel-api-key.entity.ts';
import { Statement } from '../../server/modules/billing/statement.entity.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { channelSecretContext } from '../../server/modules/channels/channel-secrets.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { PartnerToken } from '../../server/modules/partners/partner-token.entity.ts';
import { createEndpoint } from '../../server/modules/webhooks/endpoints.service.ts';
import { recordEvent } from '../../server/modules/webhooks/record-events.ts';
import { WebhookAttempt } from '../../server/modules/webhooks/webhook-attempt.entity.ts';
import { WebhookDelivery } from '../../server/modules/webhooks/webhook-delivery.entity.ts';
import { WebhookDestination } from '../../server/modules/webhooks/webhook-destination.entity.ts';
import { urlPolicyFor } from '../../server/security/url-policy.ts';
import { channelApiKeyFactory, onboardingSessionFactory, partnerTokenFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer, type PartnerWithChannel, partnerWithChannel } from '../support/scenarios.ts';

const hub = useTestHub({
  RATE_LIMIT_READ_PER_MINUTE: '100000',
  RATE_LIMIT_WRITE_PER_MINUTE: '100000',
  LINKED_DEVICES_ENABLED: 'true',
});

/**
 * Walks every REST operation with another partner's token and ids. Attacker and victim
 * both have a client, a granted channel, a key and a spare token; nothing of the victim's
 * may be read, changed or even confirmed to exist.
 */
describe('tenant isolation', () => {
  let victim: PartnerWithChannel & {
    keyId: string;
    tokenId: string;
    endpointId: string;
    eventId: string;
    deliveryId: string;
    sessionId: string;
    linkedSessionId: string;
    statementId: string;
  };
  let attacker: PartnerWithChannel;
  let victimSecrets: string[];
  const VICTIM_META_TOKEN = 'EAAGvictimbusinesstoken';

  beforeAll(async () => {
    const v = await partnerWithChannel(hub, 'Victim Co');
    const key = await channelApiKeyFactory(hub.em(), v.partner, v.channel);
    const spare = await partnerTokenFactory(hub.em(), v.partner);
    const em = hub.em();
    const owner = await em.findOneOrFail(Partner, v.partner.id);
    const victimChannel = await em.findOneOrFail(Channel, v.channel.id);
    victimChannel.metaTokenSealed = hub.deps.secretBox.encrypt(
      VICTIM_META_TOKEN,
      channelSecretContext(victimChannel.id, 'meta_token'),
    );
    const { endpoint } = await createEndpoint(
      em,
      { clock: hub.clock, secretBox: hub.deps.secretBox, urlPolicy: urlPolicyFor(hub.deps.config) },
      owner,
      { url: 'https://victim.example/hooks' },
      { type: 'operator', id: 'test' },
    );
    await em.flush();
    const event = await em.transactional((tx) =>
      recordEvent(tx, hub.clock, { partnerId: owner.id, type: 'ping', data: { message: 'victim' } }),
    );
    const delivery = await em.findOneOrFail(WebhookDelivery, { event: event.id, destination: endpoint });
    victim = {
      ...v,
      keyId: key.record.id,
      tokenId: spare.record.id,
      endpointId: endpoint.id,
      eventId: event.id,
      deliveryId: delivery.id,
      sessionId: (await onboardingSessionFactory(hub.em(), owner)).session.id,
      statementId: await victimStatement(owner),
      linkedSessionId: (
        await createLinkedDeviceSession(
          hub.em(),
          hub.deps,
          { partner: owner, client: await hub.em().findOneOrFail(Client, v.client.id), name: 'Victim phone' },
          { type: 'operator', id: 'test' },
        )
      ).id,
    };
    attacker = await partnerWithChannel(hub, 'Attacker Co');
    victimSecrets = [
      victim.partner.id,
      victim.client.id,
      victim.channel.id,
      victim.keyId,
      victim.tokenId,
      'Victim Co',
      VICTIM_META_TOKEN,
    ];
  });

  async function victimStatement(owner: Partner): Promise<string> {
    const em = hub.em();
    const statement = em.create(Statement, {
      partner: owner,
      client: null,
      period: '2026-11',
      paymentModel: 'partner',
      currency: 'eur',
      lines: [],
      totalMinor: 1234,
      status: 'awaiting_payment',
      issuedAt: hub.clock.now(),
    });
    await em.flush();
    return statement.id;
  }

  const fill = (path: string, ids: Record<string, string>) =>
    `/api/v2${path.replaceAll(/:(\w+)/g, (_, name: string) => ids[name] ?? `missing-${name}`)}`;

  /** Valid bodies, so each walk reaches the ownership check rather than stopping at validation. */
  const VALID_BODIES: Record<string, object> = {
    updatePartner: { name: 'pwned' },
    updateClient: { partner_payload: 'pwned' },
    createWebhookEndpoint: { url: 'https://attacker.example/hooks' },
    updateWebhookEndpoint: { description: 'pwned' },
    recoverDeliveries: { since: '2000-01-01T00:00:00Z' },
    revealChannelSecrets: { secret_types: ['access_token', 'registration_pin'] },
    createOnboardingSession: { tenant_id: 'pwned' },
  };

  /** Every path parameter of `op` filled with the victim's ids, under the given partner id. */
  const victimIdsUnder = (partnerId: string, op: Operation) => ({
    partner_id: partnerId,
    client_id: victim.client.id,
    channel_id: victim.channel.id,
    key_id: victim.keyId,
    token_id: victim.tokenId,
    endpoint_id: victim.endpointId,
    event_id: victim.eventId,
    delivery_id: victim.deliveryId,
    session_id: op.path.includes('/linked_device_sessions/') ? victim.linkedSessionId : victim.sessionId,
    statement_id: victim.statementId,
  });

  const send = (method: string, path: string, operationId: string) => {
    const req = request(hub.app)[method as 'get'](path).set(bearer(attacker.token));
    return method === 'get' || method === 'delete' ? req : req.send(VALID_BODIES[operationId] ?? {});
  };

  it.each(partnerApiOperations.map((op) => [op.operationId, op] as const))(
    "%s: another partner's partner_id is 403 forbidden",
    async (_id, op) => {
      const path = fill(op.path, victimIdsUnder(victim.partner.id, op));
      const res = await send(op.method, path, op.operationId);
      expect([res.status, res.body.error?.code]).toEqual([403, 'forbidden']);
      for (const secret of victimSecrets.slice(1)) expect(JSON.stringify(res.body)).not.toContain(secret);
    },
  );

  it.each(partnerApiOperations.map((op) => [op.operationId, op] as const))(
    "%s: the victim's resource ids under one's own partner are 404, or are simply not there",
    async (_id, op) => {
      const path = fill(op.path, victimIdsUnder(attacker.partner.id, op));
      const res = await send(op.method, path, op.operationId);
      // A rotation supersedes the attacker's token, which then may no longer manage tokens.
      if (op.operationId === 'rotatePartnerToken' && res.status === 201) attacker.token = res.body.token;
      const referencesVictim =
        /:(client_id|channel_id|key_id|token_id|endpoint_id|event_id|delivery_id|session_id|statement_id)/.test(
          op.path,
        );
      if (referencesVictim) expect([res.status, res.body.error?.code]).toEqual([404, 'not_found']);
      else expect(res.status).toBeLessThan(300);
      const body = JSON.stringify(res.body);
      for (const secret of victimSecrets) {
        // A 404 message may echo the id the caller itself sent, which reveals nothing.
        if (res.status === 404) continue;
        expect(body).not.toContain(secret);
      }
    },
  );

  it("left every one of the victim's objects untouched", async () => {
    const em = hub.em();
    expect((await em.findOneOrFail(ChannelApiKey, victim.keyId)).revokedAt).toBeNull();
    expect((await em.findOneOrFail(PartnerToken, victim.tokenId)).revokedAt).toBeNull();
    expect((await em.findOneOrFail(Client, victim.client.id)).partnerPayload).toBeNull();
    expect(await em.count(ChannelApiKey, { channel: victim.channel.id })).toBe(1);
    expect((await em.findOneOrFail(WebhookDestination, victim.endpointId)).description).toBeNull();
    expect(await em.count(WebhookAttempt, { delivery: victim.deliveryId })).toBe(0);
    expect(await em.findOneOrFail(LinkedDeviceSession, victim.linkedSessionId)).toMatchObject({
      status: 'PENDING',
      desired: 'active',
    });
    const victimView = await request(hub.app)
      .get(`/api/v2/partners/${victim.partner.id}`)
      .set(bearer(victim.token));
    expect(victimView.body.name).toBe('Victim Co');
  });

  it('holds over tRPC as well', async () => {
    const trpc = hub.trpc(attacker.token);
    const notFound = { code: 'NOT_FOUND' };
    await expect(trpc.clients.get({ client_id: victim.client.id })).rejects.toMatchObject(notFound);
    await expect(
      trpc.clients.update({ client_id: victim.client.id, partner_payload: 'x' }),
    ).rejects.toMatchObject(notFound);
    await expect(trpc.clients.portalLink({ client_id: victim.client.id })).rejects.toMatchObject(notFound);
    await expect(trpc.channels.get({ channel_id: victim.channel.id })).rejects.toMatchObject(notFound);
    await expect(trpc.channels.grants({ channel_id: victim.channel.id })).rejects.toMatchObject(notFound);
    await expect(trpc.apiKeys.create({ channel_id: victim.channel.id })).rejects.toMatchObject(notFound);
    await expect(trpc.apiKeys.list({ channel_id: victim.channel.id })).rejects.toMatchObject(notFound);
    await expect(
      trpc.apiKeys.revoke({ channel_id: victim.channel.id, key_id: victim.keyId }),
    ).rejects.toMatchObject(notFound);
    await expect(
      trpc.apiKeys.revoke({ channel_id: attacker.channel.id, key_id: victim.keyId }),
    ).rejects.toMatchObject(notFound);
    await expect(trpc.tokens.revoke({ token_id: victim.tokenId })).rejects.toMatchObject(notFound);
    await expect(trpc.webhooks.endpoints.get({ endpoint_id: victim.endpointId })).rejects.toMatchObject(
      notFound,
    );
    await expect(
      trpc.webhooks.endpoints.rotateSecret({ endpoint_id: victim.endpointId }),
    ).rejects.toMatchObject(notFound);
    await expect(trpc.webhooks.endpoints.delete({ endpoint_id: victim.endpointId })).rejects.toMatchObject(
      notFound,
    );
    await expect(trpc.webhooks.events.get({ event_id: victim.eventId })).rejects.toMatchObject(notFound);
    await expect(trpc.webhooks.deliveries.attempts({ delivery_id: victim.deliveryId })).rejects.toMatchObject(
      notFound,
    );
    await expect(trpc.webhooks.deliveries.resend({ delivery_id: victim.deliveryId })).rejects.toMatchObject(
      notFound,
    );
    const victimSession = { session_id: victim.linkedSessionId };
    await expect(trpc.linkedDevices.create({ client_id: victim.client.id })).rejects.toMatchObject(notFound);
    await expect(trpc.linkedDevices.get(victimSession)).rejects.toMatchObject(notFound);
    await expect(trpc.linkedDevices.qr(victimSession)).rejects.toMatchObject(notFound);
    await expect(trpc.linkedDevices.logout(victimSession)).rejects.toMatchObject(notFound);
    await expect(trpc.linkedDevices.restart(victimSession)).rejects.toMatchObject(notFound);
    const lists = [
      await trpc.clients.list(),
      await trpc.linkedDevices.list(),
      await trpc.linkedDevices.list({ client_id: victim.client.id }),
      // A search reaches only one's own clients, whatever it matches.
      await trpc.clients.list({ q: 'a' }),
      await trpc.clients.list({ q: victim.client.id }),
      await trpc.channels.list(),
      await trpc.tokens.list(),
      await trpc.webhooks.endpoints.list(),
      await trpc.webhooks.events.list(),
      await trpc.webhooks.deliveries.list(),
    ];
    for (const secret of victimSecrets) expect(JSON.stringify(lists)).not.toContain(secret);
    expect(JSON.stringify(lists)).not.toContain(victim.linkedSessionId);
  });
});
