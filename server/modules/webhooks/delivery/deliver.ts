import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../../clock.ts';
import type { SecretBox } from '../../../crypto/secret-box.ts';
import { newId } from '../../../ids.ts';
import { channelWebhookHeaders, currentGrants, grantKey } from '../channel-webhook.ts';
import { signingSecrets } from '../destination-secrets.ts';
import { deliveryBody } from '../events.service.ts';
import { WebhookDelivery } from '../webhook-delivery.entity.ts';
import { isDisabled, markFailing, markHealthy } from './destination-health.ts';
import type { WebhookEngine } from './engine.ts';
import { isSuccess, nextRetryAt } from './retry-schedule.ts';
import type { SendResult } from './sender.ts';
import { signDelivery } from './signing.ts';

export interface DeliveryContext {
  em: EntityManager;
  clock: Clock;
  secretBox: SecretBox;
  engine: WebhookEngine;
  /** Jitter source; tests pin it. */
  random?: () => number;
}

export function deliveryContextFrom(
  em: EntityManager,
  deps: { clock: Clock; secretBox: SecretBox; engine: WebhookEngine },
): DeliveryContext {
  return { em, clock: deps.clock, secretBox: deps.secretBox, engine: deps.engine };
}

interface Tried {
  delivery: WebhookDelivery;
  attemptId: string;
  startedAt: Date;
  /** Null when the destination is disabled and nothing was sent. */
  result: SendResult | null;
}

function destinationKey(d: WebhookDelivery): string {
  if (d.destination === 'endpoint') return `endpoint:${d.endpoint?.id}`;
  if (d.destination === 'partner_webhook') return `partner:${d.partner.id}`;
  return `url:${d.url}`;
}

/**
 * One signed HTTP attempt, within the destination's concurrency limit. A channel webhook is
 * only sent while the partner still holds the channel (`grants`): revoking access stops
 * inbound traffic at once, queued deliveries included.
 */
async function attempt(
  ctx: DeliveryContext,
  delivery: WebhookDelivery,
  grants: Awaited<ReturnType<typeof currentGrants>>,
): Promise<Tried> {
  const attemptId = newId('webhookAttempt');
  const startedAt = ctx.clock.now();
  if (isDisabled(delivery)) return { delivery, attemptId, startedAt, result: null };
  let extraHeaders: Record<string, string> = {};
  if (delivery.destination === 'channel_webhook') {
    const grant = grants.get(grantKey(delivery.partner.id, delivery.event.channel?.id));
    if (!grant) return { delivery, attemptId, startedAt, result: null };
    extraHeaders = channelWebhookHeaders(ctx.secretBox, grant);
  }
  const owner = delivery.destination === 'endpoint' ? delivery.endpoint! : delivery.partner;
  const body = deliveryBody(delivery.event, delivery.destination);
  const headers = signDelivery({
    eventId: delivery.event.id,
    eventType: delivery.event.type,
    attemptId,
    timestamp: startedAt,
    body,
    secrets: signingSecrets(ctx.secretBox, owner, startedAt),
  });
  const result = await ctx.engine.limitFor(destinationKey(delivery))(() =>
    ctx.engine.sender.send(delivery.url, { ...extraHeaders, ...headers }, body),
  );
  return { delivery, attemptId, startedAt, result };
}

/** Postgres text cannot hold NUL, and receivers can answer anything. */
const clean = (s: string | null) => s?.replaceAll('\u0000', '\uFFFD') ?? null;

async function insertAttempts(
  tx: EntityManager,
  tried: Tried[],
  trigger: 'scheduled' | 'manual',
): Promise<void> {
  const rows = tried
    .filter((t) => t.result)
    .map((t) => ({
      id: t.attemptId,
      delivery_id: t.delivery.id,
      trigger,
      started_at: t.startedAt,
      duration_ms: t.result!.durationMs,
      response_status: t.result!.status,
      response_body: clean(t.result!.body),
      error: clean(t.result!.error),
    }));
  if (rows.length === 0) return;
  await tx.execute(
    `insert into webhook_attempts (id, delivery_id, trigger, started_at, duration_ms, response_status, response_body, error)
     select * from json_to_recordset(?::json) as x(id text, delivery_id text, trigger text, started_at timestamptz,
       duration_ms int, response_status int, response_body text, error text)`,
    [JSON.stringify(rows)],
  );
}

/**
 * Delivers the deliveries a pump cycle leased to this job. Everything is recorded in one
 * transaction: attempts appended, states moved (succeeded, rescheduled, failed), destination
 * health updated. State is written only while the lease is still ours: if the lease ran out
 * and another worker took over, that worker's outcome stands (the receiver may see both
 * tries, with the same `webhook-id`).
 */
export async function deliverLeased(
  ctx: DeliveryContext,
  ids: string[],
  leaseToken: string,
): Promise<number> {
  const deliveries = await ctx.em.find(
    WebhookDelivery,
    { id: { $in: ids }, leaseToken, status: 'pending' },
    { populate: ['event', 'partner', 'endpoint'] },
  );
  if (deliveries.length === 0) return 0;
  const heartbeat = setInterval(() => {
    ctx.em
      .getConnection()
      .execute('update webhook_deliveries set lease_expires_at = ? where lease_token = ? and id in (?)', [
        new Date(ctx.clock.now().getTime() + ctx.engine.leaseMs),
        leaseToken,
        deliveries.map((d) => d.id),
      ])
      .catch(() => {});
  }, ctx.engine.leaseMs / 3);
  let tried: Tried[];
  try {
    const grants = await currentGrants(ctx.em, deliveries);
    tried = await Promise.all(deliveries.map((d) => attempt(ctx, d, grants)));
  } finally {
    clearInterval(heartbeat);
  }
  const now = ctx.clock.now();
  await ctx.em.transactional(async (tx) => {
    await insertAttempts(tx, tried, 'scheduled');
    const updates = [];
    // Failures first: a success anywhere in the batch then resets the destination's failure window.
    const ordered = [...tried].sort(
      (a, b) => Number(!!a.result && isSuccess(a.result)) - Number(!!b.result && isSuccess(b.result)),
    );
    for (const t of ordered) {
      const d = t.delivery;
      const attempts = d.attemptCount + (t.result ? 1 : 0);
      let status: 'succeeded' | 'pending' | 'failed' = 'failed';
      let next: Date | null = null;
      if (t.result && isSuccess(t.result)) {
        status = 'succeeded';
        markHealthy(d);
      } else if (t.result) {
        const gone = t.result.status === 410;
        next = gone ? null : nextRetryAt(now, attempts, t.result, ctx.engine.retry, ctx.random);
        status = next ? 'pending' : 'failed';
        await markFailing(tx, ctx.clock, d, { gone, disableAfterMs: ctx.engine.disableAfterMs });
      }
      updates.push({
        id: d.id,
        status,
        attempt_count: attempts,
        next_attempt_at: next,
        last_attempt_at: t.result ? t.startedAt : (d.lastAttemptAt ?? null),
        succeeded_at: status === 'succeeded' ? now : null,
      });
    }
    await tx.execute(
      `update webhook_deliveries d set status = v.status, attempt_count = v.attempt_count,
         next_attempt_at = v.next_attempt_at, last_attempt_at = v.last_attempt_at,
         succeeded_at = coalesce(v.succeeded_at, d.succeeded_at), lease_expires_at = null, lease_token = null, updated_at = ?
       from json_to_recordset(?::json) as v(id text, status text, attempt_count int, next_attempt_at timestamptz,
         last_attempt_at timestamptz, succeeded_at timestamptz)
       where d.id = v.id and d.lease_token = ?`,
      [now, JSON.stringify(updates), leaseToken],
    );
  });
  return tried.length;
}

/**
 * A manual resend: one attempt now, logged as `manual`. It never touches the retry
 * schedule; a success completes the delivery.
 */
export async function resendNow(ctx: DeliveryContext, delivery: WebhookDelivery): Promise<SendResult | null> {
  const tried = await attempt(ctx, delivery, await currentGrants(ctx.em, [delivery]));
  const now = ctx.clock.now();
  await ctx.em.transactional(async (tx) => {
    await insertAttempts(tx, [tried], 'manual');
    if (!tried.result) return;
    const ok = isSuccess(tried.result);
    if (ok) markHealthy(delivery);
    await tx.execute(
      `update webhook_deliveries set attempt_count = attempt_count + 1, last_attempt_at = ?, updated_at = ?,
         status = case when ? then 'succeeded' else status end,
         succeeded_at = case when ? then ? else succeeded_at end,
         next_attempt_at = case when ? then null else next_attempt_at end
       where id = ?`,
      [tried.startedAt, now, ok, ok, now, ok, delivery.id],
    );
  });
  return tried.result;
}
