import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ChannelStatus, SENDABLE_CHANNEL_STATUSES } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import { run } from '../../db/sql.ts';
import { AppError } from '../../errors.ts';
import { type LinkedDeviceSendDeps, sendThroughLinkedDevice } from '../../linked-devices/cloud-api-send.ts';
import type { GraphClient, GraphRawResponse } from '../../meta/graph-client.ts';
import { GraphError, toAppError } from '../../meta/graph-error.ts';
import type { HealthStatus } from '../../meta/graph-types.ts';
import type { RateLimits } from '../rate-limits/rate-limits.ts';
import type { ChannelKeyGrant } from './channel-key-verifier.ts';

/** Graph's answer to a send, or the hub's own answer in Graph's shape; `retryAfterSeconds` goes out as Retry-After. */
export interface SendResponse extends GraphRawResponse {
  retryAfterSeconds?: number;
}

/**
 * Forwards a Cloud API message body to Graph with the channel's token and hands back Graph's
 * answer as it is (status and body), which is what 360dialog's `/messages` does. A coexistence
 * number sends at most `RATE_LIMIT_COEXISTENCE_MPS` messages a second, counted in PostgreSQL
 * across every process; the next one is answered here as Meta would answer it (130429),
 * without reaching Meta. A linked-device channel has no Graph behind it: its session sends
 * what it can (text) and answers in Graph's shape.
 */
export async function sendMessage(
  deps: { graph: GraphClient; rateLimits: RateLimits } & LinkedDeviceSendDeps,
  grant: ChannelKeyGrant,
  body: Buffer,
  onTokenRefused: () => void,
): Promise<SendResponse> {
  if (grant.connectionType === 'linked_device') {
    assertNotSuspended(grant);
    // The session's status, not the channel's, says whether it can send (session_not_connected).
    if (grant.status === 'deleted') throw notReady(grant);
    return sendThroughLinkedDevice(deps, grant, body);
  }
  assertCanSend(grant);
  if (grant.connectionType === 'coexistence') {
    const budget = await deps.rateLimits.consume(grant.channelId, 'coexistence_send');
    if (!budget.allowed) return throughputReached(budget.limit, budget.resetSeconds);
  }
  try {
    const res = await deps.graph.sendMessageRaw(grant.phoneNumberId, grant.metaToken!, body);
    if (res.status === 401 || (res.status === 400 && isTokenError(res.body))) onTokenRefused();
    return res;
  } catch (err) {
    if (err instanceof GraphError) throw toAppError(err, 'send the message');
    throw err;
  }
}

/**
 * Meta's answer when a number's throughput is spent: `(#130429) Rate limit hit`, HTTP 400 like
 * every Cloud API error, in Graph's error envelope, so an app retries it as it would Meta's.
 */
function throughputReached(perSecond: number, retryAfterSeconds: number): SendResponse {
  const body = {
    error: {
      message: '(#130429) Rate limit hit',
      type: 'OAuthException',
      code: 130429,
      error_data: {
        messaging_product: 'whatsapp',
        details: `Cloud API message throughput has been reached. A coexistence number sends at most ${perSecond} messages per second.`,
      },
      fbtrace_id: randomBytes(16).toString('base64url'),
    },
  };
  return {
    status: 400,
    contentType: 'application/json; charset=utf-8',
    body: Buffer.from(JSON.stringify(body)),
    retryAfterSeconds,
  };
}

/**
 * The channel's WABA templates through Graph (`/{waba_id}/message_templates`) with the
 * channel's token: the messaging API's `/v1/configs/templates`. Graph's answer is returned as
 * it came; a refused token is reported as for sends.
 */
export async function forwardTemplates(
  graph: GraphClient,
  grant: ChannelKeyGrant,
  method: 'GET' | 'POST' | 'DELETE',
  options: { query?: Record<string, string>; body?: Buffer },
  onTokenRefused: () => void,
): Promise<GraphRawResponse> {
  assertCanSend(grant);
  try {
    const res = await graph.templatesRaw(method, grant.wabaId, grant.metaToken!, options);
    if (res.status === 401 || (res.status === 400 && isTokenError(res.body))) onTokenRefused();
    return res;
  } catch (err) {
    if (err instanceof GraphError) throw toAppError(err, 'reach the templates');
    throw err;
  }
}

function assertCanSend(grant: ChannelKeyGrant): void {
  assertNotSuspended(grant);
  if (!SENDABLE_CHANNEL_STATUSES.includes(grant.status) || !grant.metaToken) throw notReady(grant);
}

const notReady = (grant: ChannelKeyGrant) =>
  new AppError('channel_not_ready', `Channel ${grant.channelId} is ${grant.status} and cannot send`, {
    status: grant.status,
  });

function assertNotSuspended(grant: ChannelKeyGrant): void {
  if (grant.billingStatus === 'suspended') {
    throw new AppError(
      'payment_required',
      'Sending is suspended: a payment for this business is overdue past its grace period. It resumes once the business pays (a new card in its client hub).',
      { past_due_since: grant.pastDueSince?.toISOString() ?? null },
    );
  }
}

function isTokenError(body: Buffer): boolean {
  try {
    return (JSON.parse(body.toString('utf8')) as { error?: { code?: number } }).error?.code === 190;
  } catch {
    return false;
  }
}

/** Remembers that Meta refused the token, so health reports it until the number is reconnected. */
export async function markTokenRefused(em: EntityManager, clock: Clock, channelId: string): Promise<void> {
  await run(
    em,
    'update channels set meta_token_invalid_at = ?, updated_at = ? where id = ? and meta_token_invalid_at is null',
    [clock.now(), clock.now(), channelId],
  );
}

export interface ChannelHealth {
  channel_id: string;
  phone_number_id: string;
  status: ChannelStatus;
  /** Why the channel is restricted or disconnected (e.g. `ACCOUNT_VIOLATION: SCAM`). */
  status_reason: string | null;
  /** What Meta last reported: quality rating, messaging limit tier, display-name decision. */
  quality_rating: string | null;
  current_limit: string | null;
  name_status: string | null;
  can_send_messages: boolean;
  can_receive_messages: boolean;
  /** The same two, grouped as Dualhook reports them. */
  capabilities: { can_send_messages: boolean; can_receive_messages: boolean };
  /** Why a capability is off, as stable codes. */
  reasons: string[];
  webhook_configured: boolean;
  webhook_overridden: boolean;
  /** Meta's own `health_status` for the number, when Meta could be asked. */
  meta_health_status: HealthStatus | null;
}

/**
 * Health derived from the channel's status, its WABA subscription and whether Meta still
 * accepts the token (asked live, so an expired token shows here before a send fails).
 */
/** What health is derived from: a channel key's grant, or a channel read for its partner. */
export type HealthSubject = Pick<
  ChannelKeyGrant,
  | 'channelId'
  | 'phoneNumberId'
  | 'status'
  | 'statusReason'
  | 'qualityRating'
  | 'currentLimit'
  | 'nameStatus'
  | 'metaToken'
  | 'metaTokenInvalid'
  | 'wabaSubscribed'
  | 'webhookOverridden'
>;

export async function channelHealth(
  graph: GraphClient,
  grant: HealthSubject,
  webhookConfigured: boolean,
): Promise<{ health: ChannelHealth; tokenRefused: boolean }> {
  const reasons: string[] = [];
  let meta: HealthStatus | null = null;
  let tokenRefused = false;
  if (!grant.metaToken) reasons.push('no_business_token');
  else {
    try {
      meta = (await graph.getHealth(grant.phoneNumberId, grant.metaToken)) ?? null;
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      if (err.isTokenInvalid) tokenRefused = true;
      else reasons.push(err.status === null ? 'meta_unreachable' : 'meta_error');
    }
  }
  if (tokenRefused || (grant.metaTokenInvalid && !meta)) reasons.push('token_invalid');
  const sendableStatus = SENDABLE_CHANNEL_STATUSES.includes(grant.status);
  if (!sendableStatus) reasons.push(`status_${grant.status}`);
  if (meta?.can_send_message === 'BLOCKED') reasons.push('meta_blocked');
  if (!grant.wabaSubscribed) reasons.push('waba_not_subscribed');
  // With an override Meta delivers the messages straight to the tenant: nothing to relay them to.
  const delivered = webhookConfigured || grant.webhookOverridden;
  if (!delivered) reasons.push('webhook_not_configured');
  const tokenOk = !!grant.metaToken && !reasons.includes('token_invalid');
  const receivableStatus = sendableStatus || grant.status === 'connected';
  const canSend = sendableStatus && tokenOk && meta?.can_send_message !== 'BLOCKED';
  const canReceive = receivableStatus && grant.wabaSubscribed && delivered;
  return {
    tokenRefused,
    health: {
      channel_id: grant.channelId,
      phone_number_id: grant.phoneNumberId,
      status: grant.status,
      status_reason: grant.statusReason,
      quality_rating: grant.qualityRating,
      current_limit: grant.currentLimit,
      name_status: grant.nameStatus,
      can_send_messages: canSend,
      can_receive_messages: canReceive,
      capabilities: { can_send_messages: canSend, can_receive_messages: canReceive },
      reasons,
      webhook_configured: webhookConfigured,
      webhook_overridden: grant.webhookOverridden,
      meta_health_status: meta,
    },
  };
}
