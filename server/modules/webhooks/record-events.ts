import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventData, EventType } from '../../../shared/events.ts';
import type { WebhookDestinationKind } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import { assertInTransaction, query, queryBound } from '../../db/sql.ts';
import { newId } from '../../ids.ts';
import { currentTraceParent } from '../../observability/trace-context.ts';
import { type DeliveryJob, deliveryJobSpecs, RUNNER_LOCK } from './delivery/delivery-jobs.ts';
import { RUNNER_WAKEUP_CHANNEL } from './delivery/runner-wakeups.ts';
import { lifecycleBody } from './event-body.ts';
import { type RouteTarget, routes } from './routing.ts';

interface EventBase {
  partnerId: string;
  channelId?: string | null;
  type: EventType;
  /** A test ping: deliver only to this destination. */
  onlyDestinationId?: string;
  /** The trace its deliveries continue; by default the active one (see trace-context.ts). */
  traceParent?: string | null;
}

/**
 * A lifecycle event carries its `data` (its body is built at the recording time); an inbound
 * message carries the exact body destinations receive (see event-body.ts).
 */
export type EventToRecord = EventBase & ({ data: Record<string, unknown> } | { body: string });

export interface RecordedEvent {
  id: string;
  createdAt: Date;
  deliveries: { id: string; destinationId: string; status: 'pending' | 'failed' }[];
}

interface Destination extends RouteTarget {
  partner_id: string;
  kind: WebhookDestinationKind;
  url: string;
  disabled: boolean;
}

/**
 * The one event writer. In the caller's transaction and with one statement per table,
 * whatever the batch size: the events, one delivery per destination that routing picks, and
 * one job per destination with new work and no job already delivering for it. They commit with
 * the change they describe, or not at all. A disabled destination's delivery is recorded as
 * failed, so `recover` can resend it.
 */
export async function recordEvents(
  tx: EntityManager,
  clock: Clock,
  events: EventToRecord[],
): Promise<RecordedEvent[]> {
  assertInTransaction(tx, 'recordEvents');
  if (events.length === 0) return [];
  // Rows the events point at (a channel created in this unit of work) must exist first.
  await tx.flush();
  const now = clock.now();
  const partnerIds = [...new Set(events.map((e) => e.partnerId))];
  // `for key share`: a destination cannot be deleted under us before we commit. The shared
  // runner lock: see the last statement below.
  const destinations = await query<Destination>(
    tx,
    `select id, partner_id, kind, channel_id, waba_id, url, event_types, disabled_at is not null as disabled,
            pg_advisory_xact_lock_shared(${RUNNER_LOCK}) is null as unlocked
       from webhook_destinations where partner_id in (?) and url is not null
      for key share`,
    [partnerIds],
  );
  const byPartner = Map.groupBy(destinations, (d) => d.partner_id);
  const wabaOf = await wabasForScopedRouting(tx, destinations, events);

  const recorded: RecordedEvent[] = [];
  const deliveries: object[] = [];
  const due = new Set<string>();
  for (const event of events) {
    const id = newId('webhookEvent');
    const out: RecordedEvent = { id, createdAt: now, deliveries: [] };
    for (const d of byPartner.get(event.partnerId) ?? []) {
      if (!routes({ ...event, wabaId: wabaOf.get(event.channelId ?? '') ?? null }, d)) continue;
      const status = d.disabled ? 'failed' : 'pending';
      const delivery = { id: newId('webhookDelivery'), destinationId: d.id, status } as const;
      out.deliveries.push(delivery);
      deliveries.push({
        id: delivery.id,
        event_id: id,
        event_type: event.type,
        partner_id: event.partnerId,
        destination_id: d.id,
        kind: d.kind,
        url: d.url,
        status,
        next_attempt_at: d.disabled ? null : now,
      });
      if (!d.disabled) due.add(d.id);
    }
    recorded.push(out);
  }

  const ambientTrace = currentTraceParent();
  const jobs = [...due].map((destinationId): DeliveryJob => ({ destinationId, kind: 'now' }));
  // One statement: the events, their deliveries, and a job for each destination with new work
  // that no job is delivering for (a running one takes the work: it stops only under the
  // exclusive runner lock, after our commit, see `releaseRunner`). A running one is notified
  // instead, at our commit: it may be waiting out its idle grace (see `RunnerWakeups`).
  await queryBound(
    tx,
    `with events as (
       insert into webhook_events (id, partner_id, channel_id, type, body, trace_parent, created_at)
       select x.id, x.partner_id, x.channel_id, x.type, x.body, x.trace_parent, $1::timestamptz
         from json_to_recordset($2::json) as x(id text, partner_id text, channel_id text, type text, body text,
                                               trace_parent text)),
     deliveries as (
       insert into webhook_deliveries (id, event_id, event_type, partner_id, destination_id, kind, url, status,
                                       attempt_count, next_attempt_at, created_at, updated_at)
       select x.id, x.event_id, x.event_type, x.partner_id, x.destination_id, x.kind, x.url, x.status, 0,
              x.next_attempt_at, $3::timestamptz, $4::timestamptz
         from json_to_recordset($5::json) as x(id text, event_id text, event_type text, partner_id text,
                                              destination_id text, kind text, url text, status text,
                                              next_attempt_at timestamptz)),
     without_runner as (
       select d.id from webhook_destinations d
        where d.id = any(array(select json_array_elements_text($6::json))) and not (
          d.runner_job_id is not null
          and exists (select 1 from graphile_worker.jobs j where j.id = d.runner_job_id and j.locked_at is not null))),
     with_runner as (
       select id from json_array_elements_text($7::json) as due(id) where id not in (select id from without_runner))
     select (select count(*)::int from graphile_worker.add_jobs(array(
               select r from json_populate_recordset(null::graphile_worker.job_spec, $8::json) r
                where r.payload->>'destination_id' in (select id from without_runner)))) as n,
            (select count(pg_notify('${RUNNER_WAKEUP_CHANNEL}', id))::int from with_runner) as notified`,
    [
      now,
      JSON.stringify(
        events.map((e, i) => ({
          id: recorded[i]!.id,
          partner_id: e.partnerId,
          channel_id: e.channelId ?? null,
          type: e.type,
          body:
            'body' in e ? e.body : lifecycleBody(e.type, e.data as EventData<EventType>, now, e.partnerId),
          trace_parent: e.traceParent === undefined ? ambientTrace : e.traceParent,
        })),
      ),
      now,
      now,
      JSON.stringify(deliveries),
      JSON.stringify([...due]),
      JSON.stringify([...due]),
      JSON.stringify(deliveryJobSpecs(clock, jobs)),
    ],
  );
  return recorded;
}

/**
 * The WABA of each event's channel, asked only when one of the partners' destinations is scoped
 * to a WABA (rare): the common batch costs no extra statement.
 */
async function wabasForScopedRouting(
  tx: EntityManager,
  destinations: Destination[],
  events: EventToRecord[],
): Promise<Map<string, string>> {
  if (!destinations.some((d) => d.waba_id !== null)) return new Map();
  const channelIds = [...new Set(events.flatMap((e) => (e.channelId ? [e.channelId] : [])))];
  if (channelIds.length === 0) return new Map();
  const rows = await query<{ id: string; waba_id: string }>(
    tx,
    'select id, waba_id from channels where id in (?)',
    [channelIds],
  );
  return new Map(rows.map((r) => [r.id, r.waba_id]));
}

export interface LifecycleEvent<T extends EventType> extends EventBase {
  type: T;
  data: EventData<T>;
}

/** Shorthand for services recording one lifecycle event, typed by the event catalogue. */
export async function recordEvent<T extends EventType>(
  tx: EntityManager,
  clock: Clock,
  event: LifecycleEvent<T>,
): Promise<RecordedEvent> {
  const [recorded] = await recordEvents(tx, clock, [event]);
  return recorded!;
}
