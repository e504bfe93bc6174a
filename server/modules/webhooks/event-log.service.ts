import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import {
  PRIMARY_ENDPOINT_ID,
  type WebhookDeliveryListQuerySchema,
  type WebhookEventListQuerySchema,
} from '../../../shared/schemas/webhooks.ts';
import type { Clock } from '../../clock.ts';
import { query } from '../../db/sql.ts';
import { AppError } from '../../errors.ts';
import { decodeCursor, type Page, type PageQuery, toPage } from '../../pagination.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Partner } from '../partners/partner.entity.ts';
import type { DeliveryContext } from './delivery/deliver-destination.ts';
import { scheduleDeliveryJobs } from './delivery/delivery-jobs.ts';
import { resendNow } from './delivery/resend.ts';
import { WebhookAttempt } from './webhook-attempt.entity.ts';
import { WebhookDelivery } from './webhook-delivery.entity.ts';
import { WebhookDestination } from './webhook-destination.entity.ts';
import { WebhookEvent } from './webhook-event.entity.ts';

export async function listEventsOf(
  em: EntityManager,
  partner: Partner,
  query: z.infer<typeof WebhookEventListQuerySchema>,
): Promise<Page<WebhookEvent>> {
  const where: FilterQuery<WebhookEvent> = { partner };
  const before = decodeCursor(query.cursor, 'webhookEvent');
  if (before) where.id = { $lt: before };
  if (query.type) where.type = query.type;
  if (query.since) where.createdAt = { $gte: new Date(query.since) };
  const rows = await em.find(WebhookEvent, where, { orderBy: { id: 'desc' }, limit: query.limit + 1 });
  return toPage(rows, query.limit, (e) => e.id);
}

export async function getEventOf(em: EntityManager, partner: Partner, id: string): Promise<WebhookEvent> {
  const event = await em.findOne(WebhookEvent, { id, partner });
  if (!event) throw new AppError('not_found', `No event ${id}`);
  return event;
}

function endpointFilter(endpointId: string): FilterQuery<WebhookDelivery> {
  return endpointId === PRIMARY_ENDPOINT_ID ? { kind: 'partner_webhook' } : { destination: endpointId };
}

export async function listDeliveriesOf(
  em: EntityManager,
  partner: Partner,
  query: z.infer<typeof WebhookDeliveryListQuerySchema>,
): Promise<Page<WebhookDelivery>> {
  const where: FilterQuery<WebhookDelivery> = { partner };
  if (query.endpoint_id && query.endpoint_id !== PRIMARY_ENDPOINT_ID) {
    // A destination is one partner's, and so are its deliveries: check it is this partner's, then
    // walk its deliveries alone. With `partner_id` too, the planner multiplies the two
    // selectivities (rows=31 for 2,483) and joins every match to its event before the limit.
    const owned = await em.count(WebhookDestination, { id: query.endpoint_id, partner });
    if (owned === 0) return toPage<WebhookDelivery>([], query.limit, (d) => d.id);
    delete where.partner;
  }
  const before = decodeCursor(query.cursor, 'webhookDelivery');
  if (before) where.id = { $lt: before };
  if (query.status) where.status = query.status;
  if (query.event_type) where.eventType = query.event_type;
  if (query.since || query.until)
    where.createdAt = {
      ...(query.since ? { $gte: new Date(query.since) } : {}),
      ...(query.until ? { $lt: new Date(query.until) } : {}),
    };
  if (query.endpoint_id) Object.assign(where, endpointFilter(query.endpoint_id));
  const rows = await em.find(WebhookDelivery, where, {
    populate: ['event', 'destination'],
    orderBy: { id: 'desc' },
    limit: query.limit + 1,
  });
  return toPage(rows, query.limit, (d) => d.id);
}

export async function getDeliveryOf(
  em: EntityManager,
  partner: Partner,
  id: string,
): Promise<WebhookDelivery> {
  const delivery = await em.findOne(
    WebhookDelivery,
    { id, partner },
    { populate: ['event', 'partner', 'destination'] },
  );
  if (!delivery) throw new AppError('not_found', `No delivery ${id}`);
  return delivery;
}

/** A delivery's attempts oldest first, keyset-paginated forwards on `(delivery_id, id)`. */
export async function listAttemptsOf(
  em: EntityManager,
  partner: Partner,
  deliveryId: string,
  page: PageQuery,
): Promise<Page<WebhookAttempt>> {
  const delivery = await getDeliveryOf(em, partner, deliveryId);
  const after = decodeCursor(page.cursor, 'webhookAttempt');
  const rows = await em.find(
    WebhookAttempt,
    { delivery, ...(after ? { id: { $gt: after } } : {}) },
    { orderBy: { id: 'asc' }, limit: page.limit + 1 },
  );
  return toPage(rows, page.limit, (a) => a.id);
}

/**
 * One manual attempt now; the retry schedule is left exactly as it was. Manual attempts are
 * capped per delivery, so resending cannot grow the attempt log or outbound traffic without
 * bound (concurrent resends may each pass the count once; the write budget bounds those).
 */
export async function resendDelivery(
  ctx: DeliveryContext,
  partner: Partner,
  deliveryId: string,
  actor: Actor,
  maxManualResends: number,
): Promise<{ delivery: WebhookDelivery; attempt: WebhookAttempt | null }> {
  const delivery = await getDeliveryOf(ctx.em, partner, deliveryId);
  const resent = await ctx.em.count(WebhookAttempt, { delivery, trigger: 'manual' });
  if (resent >= maxManualResends) {
    throw new AppError(
      'resend_limit_reached',
      `Delivery ${delivery.id} was already resent by hand ${resent} times, the most allowed`,
      { max_manual_resends: maxManualResends },
    );
  }
  const result = await resendNow(ctx, delivery.id);
  recordAudit(ctx.em, actor, {
    partner,
    action: 'webhook_delivery.resent',
    target: { type: 'webhook_delivery', id: delivery.id },
  });
  await ctx.em.flush();
  const fresh = ctx.em.fork();
  const reloaded = await getDeliveryOf(fresh, partner, deliveryId);
  const attempt = result ? await fresh.findOne(WebhookAttempt, { id: result.attemptId }) : null;
  return { delivery: reloaded, attempt };
}

/**
 * Requeues every failed delivery created since `since` (optionally for one endpoint) with a
 * fresh retry schedule, and their destinations' jobs in the same transaction. Deliveries to
 * destinations that are disabled or gone stay failed: re-enable the endpoint first.
 */
export async function recoverDeliveries(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  input: { since: string; endpoint_id?: string | undefined },
  actor: Actor,
): Promise<number> {
  const now = clock.now();
  const params: unknown[] = [now, now, partner.id, new Date(input.since)];
  let scope = '';
  if (input.endpoint_id === PRIMARY_ENDPOINT_ID) scope = "and d.kind = 'partner_webhook'";
  else if (input.endpoint_id) {
    scope = "and d.destination_id = ? and d.kind = 'endpoint'";
    params.push(input.endpoint_id);
  }
  return em.transactional(async (tx) => {
    const rows = await query<{ id: string; destinationId: string }>(
      tx,
      `update webhook_deliveries d set status = 'pending', attempt_count = 0, next_attempt_at = ?, updated_at = ?
         from webhook_destinations w
        where w.id = d.destination_id and d.partner_id = ? and d.status = 'failed' and d.created_at >= ? ${scope}
          and w.disabled_at is null and w.url is not null
        returning d.id, d.destination_id as "destinationId"`,
      params,
    );
    const destinations = [...new Set(rows.map((r) => r.destinationId))];
    await scheduleDeliveryJobs(
      tx,
      clock,
      destinations.map((destinationId) => ({ destinationId, kind: 'now' })),
    );
    recordAudit(tx, actor, {
      partner,
      action: 'webhook_deliveries.recovered',
      details: { since: input.since, endpoint_id: input.endpoint_id ?? null, recovered: rows.length },
    });
    return rows.length;
  });
}
