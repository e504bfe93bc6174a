import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChannelStatus } from '../../../shared/statuses.ts';
import { AppError } from '../../errors.ts';
import type { Hub } from '../../hub.ts';
import type { Actor } from '../audit/actor.ts';
import { billingComplete } from '../billing/card-setup.service.ts';
import type { Channel } from '../channels/channel.entity.ts';
import { provisionChannel } from '../channels/provisioning.service.ts';
import { changeAccess, channelAccessOf } from '../permissions/client-hub.service.ts';
import { recordWabaWithoutNumber } from '../signup/signup-events.service.ts';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity.ts';
import type { PortalSession } from './portal-session.entity.ts';

/** One word for "can this number send, and for how long": what the portal's badge shows. */
export type NumberHealth = 'healthy' | 'attention' | 'down';

export function healthOf(channel: Pick<Channel, 'status' | 'qualityRating'>): NumberHealth {
  const down: ChannelStatus[] = ['failed', 'disconnected', 'deleted'];
  if (down.includes(channel.status) || channel.qualityRating === 'RED') return 'down';
  if (channel.status === 'live' && channel.qualityRating !== 'YELLOW') return 'healthy';
  return 'attention';
}

const partnerRef = (p: { id: string; name: string; brandName?: string | null }) => ({
  id: p.id,
  name: p.brandName ?? p.name,
});

/**
 * The portal client's numbers, each with its health and the partners holding it or that it
 * may grant: the client hub's view (`channelAccessOf`), never another client's.
 */
export async function portalNumbers(em: EntityManager, session: PortalSession) {
  const access = await channelAccessOf(em, session.client);
  return access.map(({ channel, granted, grantable }) => ({
    id: channel.id,
    phone_number: channel.phoneNumber,
    display_name: channel.displayName ?? null,
    status: channel.status,
    status_reason: channel.statusReason ?? null,
    quality_rating: channel.qualityRating ?? null,
    current_limit: channel.currentLimit ?? null,
    connection_type: channel.connectionType,
    health: healthOf(channel),
    granted: granted.map(partnerRef),
    grantable: grantable.map(partnerRef),
  }));
}

/** Grant or revoke, exactly as the client hub does (same service, audit and events). */
export async function changePortalAccess(
  em: EntityManager,
  deps: Hub,
  session: PortalSession,
  input: { channelId: string; partnerId: string; action: 'grant' | 'revoke' },
  actor: Actor,
): Promise<void> {
  await changeAccess(em, deps.clock, session.client, input, actor);
}

export interface SignupResult {
  code: string;
  wabaId: string;
  phoneNumberId?: string | undefined;
  businessId?: string | undefined;
  connectionType?: 'cloud_api' | 'coexistence' | undefined;
}

/**
 * A number the client connected through Embedded Signup, provisioned like the permission
 * page's "Add a number". Sharing it stays the client's explicit choice (a grant afterwards).
 */
export async function addPortalNumber(
  em: EntityManager,
  deps: Hub,
  session: PortalSession,
  signup: SignupResult,
  actor: Actor,
) {
  const { client } = session;
  if (!billingComplete(client))
    throw new AppError('payment_required', 'Add a card in the client hub before connecting a number');
  if (signup.phoneNumberId === undefined) {
    const waba = await recordWabaWithoutNumber(em, deps, { client, ...signup }, actor);
    return { status: 'waba_pending' as const, waba_id: waba.wabaId, channel_id: null };
  }
  const { channel, created } = await provisionChannel(
    em,
    deps,
    { client, ...signup, phoneNumberId: signup.phoneNumberId },
    actor,
  );
  return {
    status: created ? ('created' as const) : ('existing' as const),
    waba_id: null,
    channel_id: channel.id,
  };
}

/**
 * The latest deliveries of the portal partner's webhooks for events of the client's numbers,
 * when the link allowed it. Neither URLs nor bodies: they are the partner's.
 */
export async function portalDeliveries(em: EntityManager, session: PortalSession) {
  if (!session.showDeliveries)
    throw new AppError('forbidden', 'Your provider does not show webhook deliveries here');
  const deliveries = await em.find(
    WebhookDelivery,
    { partner: session.partner, event: { channel: { client: session.client } } },
    { orderBy: { id: 'desc' }, limit: 25, populate: ['event'] },
  );
  return deliveries.map((d) => ({
    id: d.id,
    event_type: d.eventType,
    channel_id: d.event.channel?.id ?? null,
    status: d.status,
    attempt_count: d.attemptCount,
    created_at: d.createdAt.toISOString(),
    last_attempt_at: d.lastAttemptAt?.toISOString() ?? null,
  }));
}
