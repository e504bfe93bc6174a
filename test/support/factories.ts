import { randomBytes, randomInt } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { generateToken, hashToken, lastFour, TOKEN_PREFIXES } from '../../server/crypto/tokens.ts';
import type { Hub } from '../../server/hub.ts';
import { ChannelApiKey } from '../../server/modules/api-keys/channel-api-key.entity.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { ClientUser } from '../../server/modules/clients/client-user.entity.ts';
import { IdempotencyKey } from '../../server/modules/idempotency/idempotency-key.entity.ts';
import { OnboardingSession } from '../../server/modules/onboarding/onboarding-session.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { issuePartnerToken } from '../../server/modules/partners/partner-tokens.service.ts';
import { createPartner } from '../../server/modules/partners/partners.service.ts';
import { Permission } from '../../server/modules/permissions/permission.entity.ts';
import { primaryDestinationOf } from '../../server/modules/webhooks/destinations.service.ts';
import { WebhookAttempt } from '../../server/modules/webhooks/webhook-attempt.entity.ts';
import { WebhookDelivery } from '../../server/modules/webhooks/webhook-delivery.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { urlPolicyFor } from '../../server/security/url-policy.ts';

/**
 * One factory per entity. Partners go through the real service (so tokens and sealed
 * secrets are genuine); the rest insert rows with sensible defaults and accept overrides.
 * Each factory flushes, so the row exists when it returns.
 */

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

/**
 * A partner with no webhook_url by default: a drained test must never send to a real host.
 * Tests that deliver point `webhookUrl` at a local WebhookReceiver (or use `setWebhookUrl`).
 */
export async function partnerFactory(
  em: EntityManager,
  deps: Pick<Hub, 'secretBox' | 'config'>,
  name = 'Acme SaaS',
  options: { webhookUrl?: string } = {},
) {
  return createPartner(
    em,
    { secretBox: deps.secretBox, urlPolicy: urlPolicyFor(deps.config) },
    { name, redirectUrl: 'https://partner.example/callback', webhookUrl: options.webhookUrl },
    { type: 'operator', id: 'test' },
  );
}

export async function partnerTokenFactory(em: EntityManager, partner: Partner) {
  const issued = issuePartnerToken(em, partner);
  await em.flush();
  return issued;
}

export async function clientFactory(em: EntityManager, partner: Partner, overrides: Partial<Client> = {}) {
  const client = em.create(Client, {
    partner,
    name: 'Bakery Ltd',
    externalId: `tenant-${digits(8)}`,
    ...overrides,
  });
  await em.flush();
  return client;
}

export async function clientUserFactory(
  em: EntityManager,
  client: Client,
  overrides: Partial<ClientUser> = {},
) {
  const user = em.create(ClientUser, {
    client,
    email: `owner-${digits(8)}@bakery.example`,
    // Not a real hash: hosted-page login (and argon2id) arrives with the /permissions issue.
    passwordHash: 'factory-password-hash',
    ...overrides,
  });
  await em.flush();
  return user;
}

export async function channelFactory(em: EntityManager, client: Client, overrides: Partial<Channel> = {}) {
  const channel = em.create(Channel, {
    client,
    phoneNumber: `1555${digits(7)}`,
    wabaId: digits(15),
    phoneNumberId: digits(15),
    status: 'live',
    ...overrides,
  });
  await em.flush();
  return channel;
}

export async function permissionFactory(
  em: EntityManager,
  partner: Partner,
  channel: Channel,
  overrides: Partial<Permission> = {},
) {
  const permission = em.create(Permission, { partner, channel, client: channel.client, ...overrides });
  await em.flush();
  return permission;
}

export async function channelApiKeyFactory(em: EntityManager, partner: Partner, channel: Channel) {
  const key = generateToken(TOKEN_PREFIXES.channelApiKey);
  const record = em.create(ChannelApiKey, {
    partner,
    channel,
    keyHash: hashToken(key),
    last4: lastFour(key),
  });
  await em.flush();
  return { key, record };
}

export async function onboardingSessionFactory(
  em: EntityManager,
  partner: Partner,
  overrides: Partial<OnboardingSession> = {},
) {
  const urlToken = randomBytes(24).toString('base64url');
  const session = em.create(OnboardingSession, {
    partner,
    urlTokenHash: hashToken(urlToken),
    tenantId: `tenant-${digits(6)}`,
    successRedirectUrl: 'https://partner.example/onboarding/success',
    expiresAt: new Date(Date.now() + 3600_000),
    ...overrides,
  });
  await em.flush();
  return { session, urlToken };
}

export async function webhookEventFactory(
  em: EntityManager,
  partner: Partner,
  overrides: Partial<WebhookEvent> = {},
) {
  const body = JSON.stringify({
    type: 'ping',
    timestamp: new Date().toISOString(),
    data: { message: 'hello' },
  });
  const event = em.create(WebhookEvent, { partner, type: 'ping', body, ...overrides });
  await em.flush();
  return event;
}

export async function webhookDeliveryFactory(
  em: EntityManager,
  event: WebhookEvent,
  overrides: Partial<WebhookDelivery> = {},
) {
  const delivery = em.create(WebhookDelivery, {
    event,
    eventType: event.type,
    partner: event.partner,
    kind: 'partner_webhook',
    url: 'https://partner.example/webhooks',
    nextAttemptAt: new Date(),
    ...overrides,
  });
  await em.flush();
  return delivery;
}

export async function webhookAttemptFactory(
  em: EntityManager,
  delivery: WebhookDelivery,
  overrides: Partial<WebhookAttempt> = {},
) {
  const attempt = em.create(WebhookAttempt, {
    delivery,
    trigger: 'scheduled',
    startedAt: new Date(),
    durationMs: 12,
    responseStatus: 200,
    responseBody: 'ok',
    ...overrides,
  });
  await em.flush();
  return attempt;
}

export async function auditLogFactory(
  em: EntityManager,
  partner: Partner | null,
  overrides: Partial<AuditLog> = {},
) {
  const row = em.create(AuditLog, {
    partner,
    actorType: 'system',
    actorId: null,
    action: 'test.action',
    ...overrides,
  });
  await em.flush();
  return row;
}

export async function idempotencyKeyFactory(
  em: EntityManager,
  partner: Partner,
  overrides: Partial<IdempotencyKey> = {},
) {
  const row = em.create(IdempotencyKey, {
    partner,
    key: `key-${digits(10)}`,
    requestFingerprint: hashToken('POST /example {}'),
    expiresAt: new Date(Date.now() + 24 * 3600_000),
    ...overrides,
  });
  await em.flush();
  return row;
}

/** Points the partner's primary webhook (its `webhook_url`) somewhere, as PATCH /partners would. */
export async function setWebhookUrl(em: EntityManager, partner: Partner, url: string | null) {
  const primary = await primaryDestinationOf(em, partner.id);
  primary.url = url;
  await em.flush();
  return primary;
}
