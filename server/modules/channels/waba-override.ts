import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { AppError } from '../../errors.ts';
import { SEALED, unseal } from '../secrets/sealed-columns.ts';
import { Channel } from './channel.entity.ts';

/** Channels still served through their WABA's subscription: they hear whatever the override says. */
export const SUBSCRIBED_STATUSES = ['pending', 'connected', 'live', 'restricted'] as const;

/** The business token of a channel Meta still serves through its WABA subscription, else 409. */
export function subscribedToken(box: SecretBox, channel: Channel, consequence: string): string {
  if (!(SUBSCRIBED_STATUSES as readonly string[]).includes(channel.status) || !channel.metaTokenSealed) {
    throw new AppError('channel_not_ready', `Channel ${channel.id} is ${channel.status}: ${consequence}`);
  }
  return unseal(box, SEALED.channelMetaToken, channel.id, channel.metaTokenSealed);
}

/** The other numbers of a WABA that still depend on its subscription. */
export function activeSiblings(em: EntityManager, wabaId: string, exceptPhoneNumberId: string) {
  return em.find(
    Channel,
    { wabaId, phoneNumberId: { $ne: exceptPhoneNumberId }, status: { $in: [...SUBSCRIBED_STATUSES] } },
    { populate: ['client'], orderBy: { id: 'asc' } },
  );
}

/**
 * Meta keeps one override per WABA, and subscribing again replaces it: a number connected into
 * a WABA whose other numbers use another override (or none) would silently move their messages.
 * Dualhook refuses this case; so does the hub, before anything is asked of Meta.
 */
export async function assertOverrideFits(
  em: EntityManager,
  wabaId: string,
  phoneNumberId: string,
  url: string | null,
): Promise<void> {
  const clashing = (await activeSiblings(em, wabaId, phoneNumberId)).filter(
    (c) => (c.webhookOverrideUrl ?? null) !== url,
  );
  if (clashing.length === 0) return;
  throw new AppError(
    'waba_override_conflict',
    url
      ? `WABA ${wabaId} already has connected numbers using a different webhook (Meta keeps one per WABA)`
      : `WABA ${wabaId} already has connected numbers using a webhook override (Meta keeps one per WABA)`,
    { waba_id: wabaId, channel_ids: clashing.map((c) => c.id) },
  );
}

/**
 * Records the override now subscribed at Meta on `channel` and every other number of its WABA
 * (they share it). Returns the other numbers whose value changed, for their `channel.updated`.
 */
export async function recordOverride(
  tx: EntityManager,
  channel: Channel,
  url: string | null,
  partnerId: string,
): Promise<Channel[]> {
  const by = url ? partnerId : null;
  const apply = (c: Channel) => {
    if ((c.webhookOverrideUrl ?? null) === url && (c.webhookOverrideBy ?? null) === by) return false;
    c.webhookOverrideUrl = url;
    c.webhookOverrideBy = by;
    return true;
  };
  apply(channel);
  const others = await tx.find(
    Channel,
    { wabaId: channel.wabaId, id: { $ne: channel.id } },
    { populate: ['client'], orderBy: { id: 'asc' } },
  );
  return others.filter(apply);
}
