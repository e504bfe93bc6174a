import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import {
  PRIMARY_ENDPOINT_ID,
  type WebhookEndpointCreateSchema,
  type WebhookEndpointUpdateSchema,
} from '../../../shared/schemas/webhooks.ts';
import type { WebhookFormat } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import { storedChosenSecret } from '../../crypto/chosen-secret.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { generateWebhookSecret } from '../../crypto/webhook-secret.ts';
import { run } from '../../db/sql.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { UrlPolicy } from '../../security/url-policy.ts';
import { assertWebhookTarget } from '../../security/webhook-host.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Channel } from '../channels/channel.entity.ts';
import { getGrantOf } from '../channels/channels.service.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { Permission } from '../permissions/permission.entity.ts';
import { SEALED, seal, unseal } from '../secrets/sealed-columns.ts';
import { failPending } from './delivery/delivery-store.ts';
import { ownerOf, removeDestination } from './destinations.service.ts';
import { recordEvent } from './record-events.ts';
import { WebhookDestination } from './webhook-destination.entity.ts';

export interface EndpointDeps {
  clock: Clock;
  secretBox: SecretBox;
  urlPolicy: UrlPolicy;
}

export const MAX_ENDPOINTS_PER_PARTNER = 20;
export const DEFAULT_SECRET_GRACE_SECONDS = 24 * 3600;

/**
 * `/webhook_endpoints` shows the partner's primary webhook (as `primary`, while it has a
 * `webhook_url`) and its extra endpoints; channel webhooks are managed with a channel key.
 */
export async function listEndpointsOf(em: EntityManager, partner: Partner): Promise<WebhookDestination[]> {
  const all = await em.find(
    WebhookDestination,
    { partner, kind: { $in: ['partner_webhook', 'endpoint'] } },
    { orderBy: { id: 'asc' } },
  );
  const primary = all.filter((d) => d.kind === 'partner_webhook' && d.url);
  return [...primary, ...all.filter((d) => d.kind === 'endpoint')];
}

/** The partner's own endpoint, or `primary`; another partner's looks exactly like a missing one. */
export async function findEndpointOf(
  em: EntityManager,
  partner: Partner,
  id: string,
): Promise<WebhookDestination> {
  const destination =
    id === PRIMARY_ENDPOINT_ID
      ? await em.findOne(WebhookDestination, { partner, kind: 'partner_webhook' })
      : await em.findOne(WebhookDestination, { id, partner, kind: 'endpoint' });
  if (id === PRIMARY_ENDPOINT_ID && !destination?.url)
    throw new AppError('not_found', 'This partner has no webhook_url');
  if (!destination) throw new AppError('not_found', `No webhook endpoint ${id}`);
  return destination;
}

export async function createEndpoint(
  em: EntityManager,
  deps: EndpointDeps,
  partner: Partner,
  input: z.infer<typeof WebhookEndpointCreateSchema>,
  actor: Actor,
): Promise<{ endpoint: WebhookDestination; secret: string }> {
  if ((await em.count(WebhookDestination, { partner, kind: 'endpoint' })) >= MAX_ENDPOINTS_PER_PARTNER) {
    throw new AppError(
      'conflict',
      `A partner can have at most ${MAX_ENDPOINTS_PER_PARTNER} webhook endpoints`,
    );
  }
  const url = await assertWebhookTarget(input.url, 'url', deps.urlPolicy);
  const scope = await resolveScope(em, partner, input);
  const secret = input.secret ? storedChosenSecret(input.secret, 'secret') : generateWebhookSecret();
  const endpoint = addEndpoint(em, deps.secretBox, partner, {
    url,
    description: input.description ?? null,
    eventTypes: input.event_types ?? null,
    channel: scope.channel,
    wabaId: scope.wabaId,
    format: input.format ?? 'standard_webhooks',
    secret,
  });
  const id = endpoint.id;
  recordAudit(em, actor, {
    partner,
    action: 'webhook_endpoint.created',
    target: { type: 'webhook_endpoint', id },
  });
  await em.flush();
  return { endpoint, secret };
}

/** A new extra endpoint signing with `secret` (as stored: `whsec_…` or a chosen one), not yet flushed. */
export function addEndpoint(
  em: EntityManager,
  box: SecretBox,
  partner: Partner,
  fields: {
    url: string;
    description: string | null;
    eventTypes: string[] | null;
    channel: Channel | null;
    wabaId: string | null;
    format?: WebhookFormat;
    secret: string;
  },
): WebhookDestination {
  const id = newId('webhookEndpoint');
  const owner = { id, kind: 'endpoint', partnerId: partner.id, permissionId: null } as const;
  const { secret, ...rest } = fields;
  return em.create(WebhookDestination, {
    id,
    partner,
    kind: 'endpoint',
    ...rest,
    secretSealed: seal(box, SEALED.destinationSecret, owner, secret),
  });
}

/**
 * What an endpoint may be scoped to: a channel the partner holds, or a WABA of one; anything
 * else looks missing (404), as another partner's channel does everywhere.
 */
async function resolveScope(
  em: EntityManager,
  partner: Partner,
  input: { channel_id?: string | null | undefined; waba_id?: string | null | undefined },
): Promise<{ channel: Channel | null; wabaId: string | null }> {
  if (input.channel_id)
    return { channel: (await getGrantOf(em, partner, input.channel_id)).channel, wabaId: null };
  if (input.waba_id) {
    const held = await em.count(Permission, { partner, revokedAt: null, channel: { wabaId: input.waba_id } });
    if (held === 0) throw new AppError('not_found', `No WABA ${input.waba_id} among your channels`);
    return { channel: null, wabaId: input.waba_id };
  }
  return { channel: null, wabaId: null };
}

export async function updateEndpoint(
  em: EntityManager,
  deps: EndpointDeps,
  partner: Partner,
  id: string,
  input: z.infer<typeof WebhookEndpointUpdateSchema>,
  actor: Actor,
): Promise<WebhookDestination> {
  const endpoint = await findEndpointOf(em, partner, id);
  if (endpoint.kind === 'partner_webhook') {
    throw new AppError(
      'validation_failed',
      'Change the primary webhook with PATCH /partners/{partner_id} webhook_url',
    );
  }
  if (input.url !== undefined) endpoint.url = await assertWebhookTarget(input.url, 'url', deps.urlPolicy);
  if (input.description !== undefined) endpoint.description = input.description;
  if (input.event_types !== undefined) endpoint.eventTypes = input.event_types;
  if (input.format !== undefined) endpoint.format = input.format;
  if (input.channel_id !== undefined || input.waba_id !== undefined) {
    const scope = await resolveScope(em, partner, input);
    endpoint.channel = scope.channel;
    endpoint.wabaId = scope.wabaId;
  }
  recordAudit(em, actor, {
    partner,
    action: 'webhook_endpoint.updated',
    target: { type: 'webhook_endpoint', id },
    details: { changed_fields: Object.keys(input) },
  });
  await em.flush();
  return endpoint;
}

export async function deleteEndpoint(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  id: string,
  actor: Actor,
): Promise<void> {
  const endpoint = await findEndpointOf(em, partner, id);
  if (endpoint.kind === 'partner_webhook') {
    throw new AppError(
      'validation_failed',
      'Remove the primary webhook with PATCH /partners/{partner_id} webhook_url: null',
    );
  }
  await em.transactional(async (tx) => {
    await removeDestination(tx, endpoint, clock.now());
    recordAudit(tx, actor, {
      partner,
      action: 'webhook_endpoint.deleted',
      target: { type: 'webhook_endpoint', id },
    });
  });
}

/**
 * A new secret; for the grace window deliveries carry signatures under both. The primary
 * webhook's secret is the partner's: its channel webhooks change with it.
 */
export async function rotateEndpointSecret(
  em: EntityManager,
  deps: EndpointDeps,
  partner: Partner,
  id: string,
  graceSeconds: number,
  actor: Actor,
  chosen?: string,
): Promise<{ secret: string; previousExpiresAt: Date }> {
  const endpoint = await findEndpointOf(em, partner, id);
  const secret = chosen ? storedChosenSecret(chosen, 'secret') : generateWebhookSecret();
  const now = deps.clock.now();
  const previousExpiresAt = new Date(now.getTime() + graceSeconds * 1000);
  const box = deps.secretBox;
  const owner = ownerOf(endpoint);
  const current = unseal(box, SEALED.destinationSecret, owner, endpoint.secretSealed);
  const sealed = {
    current: seal(box, SEALED.destinationSecret, owner, secret),
    previous: seal(box, SEALED.destinationPreviousSecret, owner, current),
  };
  await em.transactional(async (tx) => {
    const scope =
      endpoint.kind === 'partner_webhook'
        ? { sql: "partner_id = ? and kind in ('partner_webhook', 'channel_webhook')", param: partner.id }
        : { sql: 'id = ?', param: endpoint.id };
    await run(
      tx,
      `update webhook_destinations set secret_sealed = ?, previous_secret_sealed = ?, previous_secret_expires_at = ?,
         updated_at = ? where ${scope.sql}`,
      [sealed.current, sealed.previous, previousExpiresAt, now, scope.param],
    );
    recordAudit(tx, actor, {
      partner,
      action: 'webhook_secret.rotated',
      target: { type: 'webhook_endpoint', id },
      details: { grace_period_seconds: graceSeconds },
    });
  });
  await em.refresh(endpoint);
  return { secret, previousExpiresAt };
}

/** Re-enables a disabled endpoint; its failure window and circuit start afresh. */
export async function enableEndpoint(
  em: EntityManager,
  partner: Partner,
  id: string,
  actor: Actor,
): Promise<WebhookDestination> {
  const endpoint = await findEndpointOf(em, partner, id);
  Object.assign(endpoint, {
    disabledAt: null,
    disabledReason: null,
    failingSince: null,
    consecutiveFailures: 0,
    circuitOpenUntil: null,
  });
  recordAudit(em, actor, {
    partner,
    action: 'webhook_endpoint.enabled',
    target: { type: 'webhook_endpoint', id },
  });
  await em.flush();
  return endpoint;
}

export const DISABLED_BY_HAND = 'disabled by a partner user';

/**
 * Pauses an endpoint by hand, as the engine does after a failure window: its pending deliveries
 * end as failed in the same commit (what a runner already sent is still recorded), and events
 * recorded meanwhile are logged as failed for it, ready for `recover` once it is enabled.
 * Disabling a disabled endpoint keeps its first reason.
 */
export async function disableEndpoint(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  id: string,
  actor: Actor,
): Promise<WebhookDestination> {
  const endpoint = await findEndpointOf(em, partner, id);
  if (endpoint.disabledAt) return endpoint;
  const now = clock.now();
  await em.transactional(async (tx) => {
    await run(
      tx,
      'update webhook_destinations set disabled_at = ?, disabled_reason = ?, updated_at = ? where id = ?',
      [now, DISABLED_BY_HAND, now, endpoint.id],
    );
    await failPending(tx, endpoint.id, now);
    // The partner's other destinations hear of it as of an automatic disable.
    await recordEvent(tx, clock, {
      partnerId: partner.id,
      type: 'webhook_endpoint.disabled',
      data: { endpoint_id: id, url: endpoint.url ?? '', reason: DISABLED_BY_HAND },
    });
    recordAudit(tx, actor, {
      partner,
      action: 'webhook_endpoint.disabled',
      target: { type: 'webhook_endpoint', id },
    });
  });
  await em.refresh(endpoint);
  return endpoint;
}

/** Records a `ping` bound for this one endpoint; the engine delivers it like any event. */
export async function sendTestPing(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  id: string,
): Promise<{ eventId: string; deliveryId: string }> {
  const endpoint = await findEndpointOf(em, partner, id);
  const event = await em.transactional((tx) =>
    recordEvent(tx, clock, {
      partnerId: partner.id,
      type: 'ping',
      data: { message: 'Test ping from Partner Hub' },
      onlyDestinationId: endpoint.id,
    }),
  );
  return { eventId: event.id, deliveryId: event.deliveries[0]!.id };
}
