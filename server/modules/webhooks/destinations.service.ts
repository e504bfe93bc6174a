import type { EntityManager } from '@mikro-orm/postgresql';
import { INBOUND_EVENT_TYPES } from '../../../shared/events.ts';
import { standardWebhooksSecret } from '../../crypto/chosen-secret.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { generateWebhookSecret } from '../../crypto/webhook-secret.ts';
import { newId } from '../../ids.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { SEALED, type SealedOwner, seal, unseal } from '../secrets/sealed-columns.ts';
import { failPending } from './delivery/delivery-store.ts';
import type { SealedSecrets } from './destination-secrets.ts';
import { WebhookDestination } from './webhook-destination.entity.ts';

/** The event types a channel webhook receives: the channel's inbound traffic, in Meta's envelope. */
export const CHANNEL_WEBHOOK_EVENT_TYPES: string[] = [...INBOUND_EVENT_TYPES];

/**
 * A new partner's primary destination, holding the partner's `whsec_` secret (returned once)
 * and its `webhook_url` (null: nothing is sent until the partner sets one).
 */
export function createPrimaryDestination(
  em: EntityManager,
  box: SecretBox,
  partner: Partner,
  url: string | null,
): { destination: WebhookDestination; secret: string } {
  const secret = generateWebhookSecret();
  const id = newId('webhookEndpoint');
  const owner = { id, kind: 'partner_webhook', partnerId: partner.id, permissionId: null } as const;
  const destination = em.create(WebhookDestination, {
    id,
    partner,
    kind: 'partner_webhook',
    url,
    secretSealed: seal(box, SEALED.destinationSecret, owner, secret),
  });
  return { destination, secret };
}

export async function primaryDestinationOf(
  em: EntityManager,
  partnerId: string,
): Promise<WebhookDestination> {
  const destination = await em.findOne(WebhookDestination, { partner: partnerId, kind: 'partner_webhook' });
  if (!destination) throw new Error(`partner ${partnerId} has no primary webhook destination`);
  return destination;
}

/**
 * Removes a destination. What was still waiting for it can never be sent: it ends failed, in
 * the same transaction, and stays in the log.
 */
export async function removeDestination(
  tx: EntityManager,
  destination: WebhookDestination,
  now: Date,
): Promise<void> {
  await failPending(tx, destination.id, now);
  tx.remove(destination);
}

/**
 * The partner's secret in its `whsec_` form, as its primary destination holds it (for the demo,
 * which verifies like a partner with a Standard Webhooks library).
 */
export function partnerWebhookSecret(box: SecretBox, primary: WebhookDestination): string {
  return standardWebhooksSecret(
    unseal(box, SEALED.destinationSecret, ownerOf(primary), primary.secretSealed),
  );
}

export function ownerOf(d: WebhookDestination): SealedOwner {
  return { id: d.id, kind: d.kind, partnerId: d.partner.id, permissionId: d.permission?.id ?? null };
}

/** Everything sealed on a destination, with what it is bound to: for signing and header lookups. */
export function sealedOf(
  d: WebhookDestination,
): SealedOwner & SealedSecrets & { headersSealed: string | null } {
  return {
    ...ownerOf(d),
    secretSealed: d.secretSealed,
    previousSecretSealed: d.previousSecretSealed ?? null,
    previousSecretExpiresAt: d.previousSecretExpiresAt ?? null,
    headersSealed: d.headersSealed ?? null,
  };
}

/** The destination a grant's channel webhook is, if one is set. */
export function channelDestinationOf(em: EntityManager, permissionId: string) {
  return em.findOne(WebhookDestination, { permission: permissionId });
}

/**
 * A channel webhook signs with the partner's secret: it starts with the primary's sealed
 * secrets (bound to the partner, so the same ciphertext is valid on both rows).
 */
export async function secretsForChannelDestination(em: EntityManager, partnerId: string) {
  const primary = await primaryDestinationOf(em, partnerId);
  return {
    secretSealed: primary.secretSealed,
    previousSecretSealed: primary.previousSecretSealed ?? null,
    previousSecretExpiresAt: primary.previousSecretExpiresAt ?? null,
  };
}
