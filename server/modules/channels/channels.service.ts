import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { ChannelListQuery, ChannelUpdate } from '../../../shared/schemas/channel.ts';
import { AppError } from '../../errors.ts';
import { decodeCursor, type Page, toPage } from '../../pagination.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { Permission } from '../permissions/permission.entity.ts';
import type { Channel } from './channel.entity.ts';

/**
 * Channels the partner currently holds permission for, newest first. The walk goes
 * through the partial `(partner_id, channel_id) where revoked_at is null` index.
 */
export async function listChannelsGrantedTo(
  em: EntityManager,
  partner: Partner,
  query: ChannelListQuery,
): Promise<Page<Permission & { channel: Channel }>> {
  const before = decodeCursor(query.cursor, 'channel');
  const channel: FilterQuery<Channel> = {};
  if (query.client_id) channel.client = query.client_id;
  if (query.waba_id) channel.wabaId = query.waba_id;
  if (query.phone_number) channel.phoneNumber = query.phone_number.replace(/^\+/, '');
  // The cursor and the order are on the permission's `channel_id`, not the channel's `id`: the
  // planner does not carry a range across the join, and only the permission side lets it walk
  // `(partner_id, channel_id)` from the cursor. The status, quality and tier filters read the
  // grant's copies of them, so the walk is `(partner_id, filter, channel_id)`: no channel is
  // looked up to find it does not match.
  const where: FilterQuery<Permission> = { partner, revokedAt: null, channel };
  if (query.status) where.channelStatus = query.status;
  if (query.quality_rating) where.channelQualityRating = query.quality_rating;
  if (query.current_limit) where.channelCurrentLimit = query.current_limit;
  if (before) where.$and = [{ channel: { $lt: before } }];
  const grants = await em.find(Permission, where, {
    populate: ['channel'],
    orderBy: { channel: 'desc' },
    limit: query.limit + 1,
  });
  return toPage(grants, query.limit, (g) => g.channel.id);
}

/** A channel without a current grant to this partner is indistinguishable from a missing one. */
export async function getGrantOf(em: EntityManager, partner: Partner, channelId: string) {
  const grant = await em.findOne(
    Permission,
    { partner, revokedAt: null, channel: channelId },
    { populate: ['channel'] },
  );
  if (!grant) throw new AppError('not_found', `No channel ${channelId}`);
  return grant;
}

/** Changes what the partner keeps on its grant of the channel (its metadata), audited. */
export async function updateChannelGrant(
  em: EntityManager,
  partner: Partner,
  channelId: string,
  input: ChannelUpdate,
  actor: Actor,
) {
  const grant = await getGrantOf(em, partner, channelId);
  if (input.metadata !== undefined) {
    grant.metadata = input.metadata;
    recordAudit(em, actor, {
      partner,
      action: 'channel.updated',
      target: { type: 'channel', id: channelId },
      details: { changed_fields: ['metadata'] },
    });
  }
  await em.flush();
  return grant;
}

export async function getChannelGrantedTo(
  em: EntityManager,
  partner: Partner,
  channelId: string,
): Promise<Channel> {
  return (await getGrantOf(em, partner, channelId)).channel;
}
