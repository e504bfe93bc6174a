import type { EntityManager } from '@mikro-orm/postgresql';
import { SENDABLE_CHANNEL_STATUSES } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import { generateToken, hashToken, lastFour, TOKEN_PREFIXES } from '../../crypto/tokens.ts';
import { AppError } from '../../errors.ts';
import { decodeCursor, type Page, type PageQuery, toPage } from '../../pagination.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getChannelGrantedTo } from '../channels/channels.service.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { type EventToRecord, recordEvent, recordEvents } from '../webhooks/record-events.ts';
import { ChannelApiKey } from './channel-api-key.entity.ts';

export interface ApiKeyDeps {
  clock: Clock;
  /** Base URL of the messaging API (`${PUBLIC_URL}/waba`). */
  messagingAddress: string;
}

export interface CreatedApiKey {
  record: ChannelApiKey;
  apiKey: string;
  address: string;
}

function liveKeysOf(em: EntityManager, partner: Partner, channelId: string, now: Date) {
  return em.find(
    ChannelApiKey,
    { partner, channel: channelId, revokedAt: null, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] },
    { orderBy: { id: 'desc' } },
  );
}

/**
 * Mints a key for a channel the partner holds permission on. This partner's existing
 * keys for the channel are revoked now (grace 0, as 360dialog does) or run out after the
 * grace window; other partners' keys are never touched.
 */
export async function createChannelApiKey(
  em: EntityManager,
  deps: ApiKeyDeps,
  partner: Partner,
  channelId: string,
  options: { gracePeriodSeconds?: number | undefined },
  actor: Actor,
): Promise<CreatedApiKey> {
  const channel = await getChannelGrantedTo(em, partner, channelId);
  if (!SENDABLE_CHANNEL_STATUSES.includes(channel.status)) {
    throw new AppError(
      'channel_not_ready',
      `Channel ${channel.id} is ${channel.status}; keys need a channel that can send`,
      {
        status: channel.status,
      },
    );
  }
  const now = deps.clock.now();
  const grace = options.gracePeriodSeconds ?? 0;
  const common = { channel_id: channel.id, client_id: channel.client.id };
  const events: EventToRecord[] = [];
  for (const old of await liveKeysOf(em, partner, channel.id, now)) {
    if (grace === 0) {
      old.revokedAt = now;
      recordAudit(em, actor, {
        partner,
        action: 'api_key.revoked',
        target: { type: 'channel_api_key', id: old.id },
        details: { ...common, last4: old.last4, reason: 'replaced' },
      });
      events.push({
        partnerId: partner.id,
        channelId: channel.id,
        type: 'api_key.revoked',
        data: { api_key_id: old.id, ...common, reason: 'replaced' },
      });
    } else {
      const deadline = new Date(now.getTime() + grace * 1000);
      if (!old.expiresAt || old.expiresAt > deadline) old.expiresAt = deadline;
    }
  }
  const apiKey = generateToken(TOKEN_PREFIXES.channelApiKey);
  const record = em.create(ChannelApiKey, {
    channel,
    partner,
    keyHash: hashToken(apiKey),
    last4: lastFour(apiKey),
    createdAt: now,
  });
  recordAudit(em, actor, {
    partner,
    action: 'api_key.created',
    target: { type: 'channel_api_key', id: record.id },
    details: { ...common, last4: record.last4, grace_period_seconds: grace },
  });
  events.push({
    partnerId: partner.id,
    channelId: channel.id,
    type: 'api_key.created',
    data: { api_key_id: record.id, ...common, last4: record.last4 },
  });
  await em.transactional((tx) => recordEvents(tx, deps.clock, events));
  return { record, apiKey, address: deps.messagingAddress };
}

/** The partner's working keys for the channel, newest first. */
export async function listChannelApiKeys(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  channelId: string,
  page: PageQuery,
): Promise<Page<ChannelApiKey>> {
  const channel = await getChannelGrantedTo(em, partner, channelId);
  const before = decodeCursor(page.cursor, 'channelApiKey');
  const rows = await em.find(
    ChannelApiKey,
    {
      partner,
      channel: channel.id,
      revokedAt: null,
      $or: [{ expiresAt: null }, { expiresAt: { $gt: clock.now() } }],
      ...(before ? { id: { $lt: before } } : {}),
    },
    { orderBy: { id: 'desc' }, limit: page.limit + 1 },
  );
  return toPage(rows, page.limit, (k) => k.id);
}

export async function revokeChannelApiKey(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  channelId: string,
  keyId: string,
  actor: Actor,
): Promise<void> {
  const channel = await getChannelGrantedTo(em, partner, channelId);
  const key = await em.findOne(ChannelApiKey, { id: keyId, partner, channel, revokedAt: null });
  if (!key) throw new AppError('not_found', `No API key ${keyId}`);
  key.revokedAt = clock.now();
  const common = { channel_id: channel.id, client_id: channel.client.id };
  recordAudit(em, actor, {
    partner,
    action: 'api_key.revoked',
    target: { type: 'channel_api_key', id: key.id },
    details: { ...common, last4: key.last4 },
  });
  await em.transactional((tx) =>
    recordEvent(tx, clock, {
      partnerId: partner.id,
      channelId: channel.id,
      type: 'api_key.revoked',
      data: { api_key_id: key.id, ...common, reason: 'revoked' },
    }),
  );
}
