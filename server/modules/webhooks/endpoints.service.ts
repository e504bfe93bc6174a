import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import {
  PRIMARY_ENDPOINT_ID,
  type WebhookEndpointCreateSchema,
  type WebhookEndpointUpdateSchema,
} from '../../../shared/schemas/webhooks.ts';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { generateWebhookSecret } from '../../crypto/webhook-secret.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { assertAcceptableUrl, type UrlPolicy, urlPolicyFor } from '../../security/url-policy.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { endpointSecretContext, partnerSecretContext } from './destination-secrets.ts';
import { recordEvent } from './events.service.ts';
import { WebhookDelivery } from './webhook-delivery.entity.ts';
import { WebhookEndpoint } from './webhook-endpoint.entity.ts';

export interface EndpointDeps {
  clock: Clock;
  secretBox: SecretBox;
  urlPolicy: UrlPolicy;
}

export function endpointDepsFrom(deps: {
  clock: Clock;
  secretBox: SecretBox;
  config: { allowLocalhostUrls: boolean };
}): EndpointDeps {
  return { clock: deps.clock, secretBox: deps.secretBox, urlPolicy: urlPolicyFor(deps.config) };
}

export const MAX_ENDPOINTS_PER_PARTNER = 20;
export const DEFAULT_SECRET_GRACE_SECONDS = 24 * 3600;

/** The partner's own endpoint, or `primary`; another partner's looks exactly like a missing one. */
export async function findEndpointOf(
  em: EntityManager,
  partner: Partner,
  id: string,
): Promise<WebhookEndpoint | 'primary'> {
  if (id === PRIMARY_ENDPOINT_ID) {
    if (!partner.webhookUrl) throw new AppError('not_found', 'This partner has no webhook_url');
    return 'primary';
  }
  const endpoint = await em.findOne(WebhookEndpoint, { id, partner });
  if (!endpoint) throw new AppError('not_found', `No webhook endpoint ${id}`);
  return endpoint;
}

export async function listEndpointsOf(em: EntityManager, partner: Partner): Promise<WebhookEndpoint[]> {
  return em.find(WebhookEndpoint, { partner }, { orderBy: { id: 'asc' } });
}

export async function createEndpoint(
  em: EntityManager,
  deps: EndpointDeps,
  partner: Partner,
  input: z.infer<typeof WebhookEndpointCreateSchema>,
  actor: Actor,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  if ((await em.count(WebhookEndpoint, { partner })) >= MAX_ENDPOINTS_PER_PARTNER) {
    throw new AppError(
      'conflict',
      `A partner can have at most ${MAX_ENDPOINTS_PER_PARTNER} webhook endpoints`,
    );
  }
  const id = newId('webhookEndpoint');
  const secret = generateWebhookSecret();
  const endpoint = em.create(WebhookEndpoint, {
    id,
    partner,
    url: assertAcceptableUrl(input.url, 'url', deps.urlPolicy),
    description: input.description ?? null,
    eventTypes: input.event_types ?? null,
    secretSealed: deps.secretBox.encrypt(secret, endpointSecretContext(id, 'current')),
  });
  recordAudit(em, actor, {
    partner,
    action: 'webhook_endpoint.created',
    target: { type: 'webhook_endpoint', id },
  });
  await em.flush();
  return { endpoint, secret };
}

export async function updateEndpoint(
  em: EntityManager,
  deps: EndpointDeps,
  partner: Partner,
  id: string,
  input: z.infer<typeof WebhookEndpointUpdateSchema>,
  actor: Actor,
): Promise<WebhookEndpoint> {
  const endpoint = await findEndpointOf(em, partner, id);
  if (endpoint === 'primary') {
    throw new AppError(
      'validation_failed',
      'Change the primary webhook with PATCH /partners/{partner_id} webhook_url',
    );
  }
  if (input.url !== undefined) endpoint.url = assertAcceptableUrl(input.url, 'url', deps.urlPolicy);
  if (input.description !== undefined) endpoint.description = input.description;
  if (input.event_types !== undefined) endpoint.eventTypes = input.event_types;
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
  partner: Partner,
  id: string,
  actor: Actor,
): Promise<void> {
  const endpoint = await findEndpointOf(em, partner, id);
  if (endpoint === 'primary') {
    throw new AppError(
      'validation_failed',
      'Remove the primary webhook with PATCH /partners/{partner_id} webhook_url: null',
    );
  }
  // Pending deliveries to a deleted endpoint can never be made; they end as failed.
  await em.nativeUpdate(
    WebhookDelivery,
    { endpoint, status: 'pending' },
    { status: 'failed', nextAttemptAt: null },
  );
  em.remove(endpoint);
  recordAudit(em, actor, {
    partner,
    action: 'webhook_endpoint.deleted',
    target: { type: 'webhook_endpoint', id },
  });
  await em.flush();
}

/** A new secret; for the grace window deliveries carry signatures under both. */
export async function rotateEndpointSecret(
  em: EntityManager,
  deps: EndpointDeps,
  partner: Partner,
  id: string,
  graceSeconds: number,
  actor: Actor,
): Promise<{ secret: string; previousExpiresAt: Date }> {
  const endpoint = await findEndpointOf(em, partner, id);
  const secret = generateWebhookSecret();
  const previousExpiresAt = new Date(deps.clock.now().getTime() + graceSeconds * 1000);
  const box = deps.secretBox;
  if (endpoint === 'primary') {
    const current = box.decrypt(partner.webhookSecretSealed, partnerSecretContext(partner.id, 'current'));
    partner.previousWebhookSecretSealed = box.encrypt(current, partnerSecretContext(partner.id, 'previous'));
    partner.previousWebhookSecretExpiresAt = previousExpiresAt;
    partner.webhookSecretSealed = box.encrypt(secret, partnerSecretContext(partner.id, 'current'));
  } else {
    const current = box.decrypt(endpoint.secretSealed, endpointSecretContext(endpoint.id, 'current'));
    endpoint.previousSecretSealed = box.encrypt(current, endpointSecretContext(endpoint.id, 'previous'));
    endpoint.previousSecretExpiresAt = previousExpiresAt;
    endpoint.secretSealed = box.encrypt(secret, endpointSecretContext(endpoint.id, 'current'));
  }
  recordAudit(em, actor, {
    partner,
    action: 'webhook_secret.rotated',
    target: { type: 'webhook_endpoint', id },
    details: { grace_period_seconds: graceSeconds },
  });
  await em.flush();
  return { secret, previousExpiresAt };
}

/** Re-enables a disabled endpoint; its failure window starts afresh. */
export async function enableEndpoint(
  em: EntityManager,
  partner: Partner,
  id: string,
  actor: Actor,
): Promise<void> {
  const endpoint = await findEndpointOf(em, partner, id);
  if (endpoint === 'primary') {
    partner.webhookDisabledAt = null;
    partner.webhookDisabledReason = null;
    partner.webhookFailingSince = null;
  } else {
    endpoint.disabledAt = null;
    endpoint.disabledReason = null;
    endpoint.failingSince = null;
  }
  recordAudit(em, actor, {
    partner,
    action: 'webhook_endpoint.enabled',
    target: { type: 'webhook_endpoint', id },
  });
  await em.flush();
}

/** Records a `ping` bound for this one endpoint; the engine delivers it like any event. */
export async function sendTestPing(em: EntityManager, clock: Clock, partner: Partner, id: string) {
  const endpoint = await findEndpointOf(em, partner, id);
  const event = await recordEvent(em, clock, {
    partner,
    type: 'ping',
    data: { message: 'Test ping from Partner Hub' },
    only: endpoint,
  });
  await em.flush();
  const delivery = await em.findOneOrFail(WebhookDelivery, { event });
  return { event, delivery };
}
