import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../../clock.ts';
import type { SecretBox } from '../../../crypto/secret-box.ts';
import { inSpanContinuing } from '../../../observability/trace-context.ts';
import { recordEvent } from '../record-events.ts';
import { scheduleDeliveryJobs } from './delivery-jobs.ts';
import {
  type AttemptRow,
  type Cursor,
  claimRunner,
  type DeliveryUpdate,
  type DestinationRow,
  type DueDelivery,
  dueBy,
  failPending,
  loadDue,
  recordOutcomes,
  releaseRunner,
} from './delivery-store.ts';
import {
  afterAttempt,
  circuitState,
  DEFAULT_CIRCUIT,
  type Health,
  type HealthPolicy,
} from './destination-health.ts';
import type { WebhookEngine } from './engine.ts';
import { isSuccess, nextRetryAt } from './retry-schedule.ts';
import { type Attempted, type Credentials, credentialsOf, sendAttempt } from './send-attempt.ts';

export interface DeliveryContext {
  em: EntityManager;
  clock: Clock;
  secretBox: SecretBox;
  engine: WebhookEngine;
  /** Jitter source; tests pin it. */
  random?: () => number;
  /** The worker is stopping: take no new work, record what is in flight, hand the rest to a later job. */
  stopping?: AbortSignal;
  /** Stopping for good: cancel requests in flight (they stay due and are sent again later). */
  abort?: AbortSignal;
  /**
   * How soon to look again after leaving the work to a running job: about the time the fence
   * takes to release a dead one (`WORKER_DEAD_AFTER_SECONDS`).
   */
  checkBackMs?: number;
}

const DEFAULT_CHECK_BACK_MS = 20_000;

/** Deliveries loaded at a time: a few per lane, so lanes rarely wait for the next page. */
const pageSize = (lanes: number) => Math.min(1000, Math.max(50, lanes * 4));

/** A run hands over to a later job after this much, so no job runs for ever. */
const MAX_DELIVERIES_PER_RUN = 20_000;
const MAX_RUN_MS = 60_000;
/** Results waiting to be recorded beyond this make the lanes wait (the database is slow). */
const MAX_UNRECORDED = 2_000;

/**
 * The `deliver_webhooks` job: sends every due delivery of one destination, up to
 * `WEBHOOK_CONCURRENCY_PER_ENDPOINT` at a time, and records outcomes in group commits while it
 * sends. Only one job delivers for a destination at a time (the runner, see `claimRunner`):
 * a slow or hanging destination holds one worker slot at most and never delays another, and
 * its circuit then limits it to one probe per period. Deliveries recorded while it runs are
 * its to send; when none is due, the destination's next due time becomes a job.
 */
export async function deliverDestination(
  ctx: DeliveryContext,
  destinationId: string,
  jobId: string,
): Promise<void> {
  const now = ctx.clock.now();
  const claimed = await claimRunner(ctx.em, destinationId, jobId, {
    dueAt: dueBy(now),
    limit: pageSize(ctx.engine.concurrencyPerEndpoint),
  });
  // Removed: its deliveries were failed in the transaction that removed it.
  if (claimed === 'gone') return;
  if (claimed === 'busy') {
    // Another job is delivering, and takes what is due. Should it die, its own job may never
    // run again (graphile-worker stops retrying a job replaced while it ran): look back later.
    const runAt = new Date(now.getTime() + (ctx.checkBackMs ?? DEFAULT_CHECK_BACK_MS));
    await ctx.em.transactional((tx) =>
      scheduleDeliveryJobs(tx, ctx.clock, [{ destinationId, runAt, kind: 'check' }]),
    );
    return;
  }
  const dest = claimed.destination;
  const release = (tx: EntityManager) => releaseRunner(tx, destinationId, jobId, { onlyIfIdle: null });
  if (dest.disabledAt || !dest.url) {
    await ctx.em.transactional(async (tx) => {
      await failPending(tx, dest.id, now);
      await release(tx);
    });
    return;
  }
  if (circuitState(dest, now) === 'open') {
    await ctx.em.transactional(async (tx) => {
      await scheduleDeliveryJobs(tx, ctx.clock, [
        { destinationId, runAt: dest.circuitOpenUntil!, kind: 'later' },
      ]);
      await release(tx);
    });
    return;
  }
  try {
    await new DestinationRun(ctx, { ...dest, url: dest.url }, jobId, claimed.page).run();
  } catch (err) {
    // Best effort: failing, the job loses its lock anyway, and with it the runner role.
    await ctx.em.transactional(release).catch(() => {});
    throw err;
  }
}

interface Outcome {
  attempt: AttemptRow;
  update: DeliveryUpdate;
}

class DestinationRun {
  readonly #ctx: DeliveryContext;
  readonly #dest: DestinationRow & { url: string };
  readonly #jobId: string;
  readonly #credentials: Credentials;
  readonly #policy: HealthPolicy;
  readonly #startedAt = performance.now();
  #health: Health;
  #queue: DueDelivery[] = [];
  #firstPage: DueDelivery[];
  #cursor: Cursor | null = null;
  #exhausted = false;
  #loading: Promise<void> | null = null;
  #taken = 0;
  /** Why no new work is taken: the circuit opened, the destination was disabled, the run is long enough, or the worker stops. */
  #stopped = false;
  #probing: boolean;
  #unrecorded: Outcome[] = [];
  /** Deliveries taken whose outcome is not committed yet. */
  readonly #uncommitted = new Set<string>();
  /** The latest due time among the deliveries taken. */
  #latestTaken: number | null = null;
  #flushing: Promise<void> | null = null;
  #newlyDisabled = false;
  #error: unknown = null;

  constructor(
    ctx: DeliveryContext,
    dest: DestinationRow & { url: string },
    jobId: string,
    firstPage: DueDelivery[],
  ) {
    this.#ctx = ctx;
    this.#dest = dest;
    this.#jobId = jobId;
    this.#health = dest;
    this.#credentials = credentialsOf(ctx.secretBox, dest, ctx.clock.now());
    this.#policy = { disableAfterMs: ctx.engine.disableAfterMs, ...DEFAULT_CIRCUIT };
    // Half-open: one probe decides whether the backlog goes out.
    this.#probing = circuitState(dest, ctx.clock.now()) === 'half_open';
    this.#firstPage = this.#probing ? [] : firstPage;
  }

  async run(): Promise<void> {
    for (;;) {
      this.#cursor = null;
      this.#exhausted = false;
      // The claim brought the first page along.
      if (this.#firstPage.length > 0) this.#accept(this.#firstPage.splice(0));
      const lanes = this.#probing ? 1 : this.#ctx.engine.concurrencyPerEndpoint;
      await Promise.all(Array.from({ length: lanes }, () => this.#lane()));
      if (this.#error) throw this.#error;
      // Recorded while the lanes sent: send it now, without waiting for the outcomes' commit.
      if (await this.#more()) continue;
      await this.#recordAll();
      if (this.#error) throw this.#error;
      // Nothing due: stay a little while for new work before giving the role up.
      if (await this.#idle()) continue;
      if (await this.#finish()) return;
    }
  }

  /**
   * Looks for deliveries that came due while the lanes sent, leaving out those sent whose
   * outcomes are not committed yet. Keeps a busy runner's cycle to sending and one query.
   */
  async #more(): Promise<boolean> {
    if (this.#shouldStop() || this.#probing) return false;
    const page = await loadDue(
      this.#ctx.em,
      this.#dest.id,
      dueBy(this.#ctx.clock.now()),
      null,
      pageSize(this.#ctx.engine.concurrencyPerEndpoint),
      [...this.#uncommitted],
    ).catch((err: unknown) => {
      this.#error = err;
      return [];
    });
    if (this.#error) throw this.#error;
    this.#firstPage = page;
    return page.length > 0;
  }

  /**
   * The idle grace (see `IdleGrace`): holding the role, looks for new deliveries whenever a
   * producer notifies that it left some to this runner (and every few tens of ms regardless),
   * for a short while. An event recorded meanwhile is sent without a job pick-up or a claim.
   * True when work came. Only with a slot the worker lent for it, and never while stopping or
   * with the circuit open.
   */
  async #idle(): Promise<boolean> {
    const grace = this.#ctx.engine.idleGrace;
    if (this.#shouldStop() || this.#probing) return false;
    if (circuitState(this.#health, this.#ctx.clock.now()) !== 'closed') return false;
    const slot = grace.take(this.#dest.id);
    if (!slot) return false;
    try {
      const until = performance.now() + grace.ms;
      for (;;) {
        // First look right after subscribing: work recorded before it sent no notification we heard.
        if (await this.#more()) return true;
        if (this.#shouldStop() || performance.now() >= until) return false;
        await slot.wait(this.#ctx.stopping);
      }
    } finally {
      slot.done();
    }
  }

  #shouldStop(): boolean {
    if (this.#ctx.stopping?.aborted) this.#stopped = true;
    if (this.#taken >= MAX_DELIVERIES_PER_RUN || performance.now() - this.#startedAt > MAX_RUN_MS)
      this.#stopped = true;
    return this.#stopped || this.#error !== null;
  }

  async #lane(): Promise<void> {
    for (;;) {
      const item = await this.#take();
      if (!item) return;
      const attempted = await inSpanContinuing(
        'webhook.deliver',
        item.traceParent,
        {
          'webhook.event_id': item.eventId,
          'webhook.event_type': item.eventType,
          'webhook.delivery_id': item.id,
        },
        () =>
          sendAttempt(
            this.#ctx.engine.sender,
            this.#credentials,
            item,
            this.#ctx.clock.now(),
            this.#ctx.abort,
          ),
      );
      // Cancelled by shutdown: not an attempt the receiver judged; it stays due.
      if (this.#ctx.abort?.aborted && attempted.result.status === null) continue;
      this.#note(item, attempted);
      if (this.#probing) {
        this.#probing = false;
        // The probe went through: the rest of the lanes join.
        if (circuitState(this.#health, this.#ctx.clock.now()) === 'closed') {
          const more = this.#ctx.engine.concurrencyPerEndpoint - 1;
          await Promise.all([this.#lane(), ...Array.from({ length: more }, () => this.#lane())]);
        }
        return;
      }
      if (this.#unrecorded.length >= MAX_UNRECORDED) await this.#flushing;
    }
  }

  async #take(): Promise<DueDelivery | undefined> {
    for (;;) {
      if (this.#shouldStop()) return undefined;
      const item = this.#queue.shift();
      if (item) {
        this.#taken++;
        this.#uncommitted.add(item.id);
        const at = item.nextAttemptAt.getTime();
        if (this.#latestTaken === null || at > this.#latestTaken) this.#latestTaken = at;
        return item;
      }
      if (this.#exhausted) return undefined;
      this.#loading ??= this.#loadPage().finally(() => {
        this.#loading = null;
      });
      await this.#loading;
    }
  }

  async #loadPage(): Promise<void> {
    const lanes = this.#ctx.engine.concurrencyPerEndpoint;
    const page = await loadDue(
      this.#ctx.em,
      this.#dest.id,
      dueBy(this.#ctx.clock.now()),
      this.#cursor,
      this.#probing ? 1 : pageSize(lanes),
      this.#mayMeetInFlight() ? [...this.#uncommitted] : [],
    ).catch((err: unknown) => {
      this.#error = err;
      return [];
    });
    if (page.length === 0) this.#exhausted = true;
    this.#accept(page);
  }

  /**
   * Past the latest delivery taken, a page cannot hold one whose outcome is still uncommitted.
   * Compared by time only, as the database orders ids by its own collation.
   */
  #mayMeetInFlight(): boolean {
    if (this.#uncommitted.size === 0) return false;
    return !this.#cursor || this.#cursor.at.getTime() <= (this.#latestTaken ?? 0);
  }

  #accept(page: DueDelivery[]): void {
    const last = page.at(-1);
    if (last) this.#cursor = { at: last.nextAttemptAt, id: last.id };
    this.#queue.push(...page);
  }

  /** Works out the delivery's next state and the destination's health; recording follows in a group commit. */
  #note(item: DueDelivery, attempted: Attempted): void {
    const now = this.#ctx.clock.now();
    const { result } = attempted;
    const ok = isSuccess(result);
    const gone = result.status === 410;
    const wasDisabled = this.#health.disabledAt !== null;
    this.#health = afterAttempt(this.#health, { ok, gone }, now, this.#policy);
    if (!wasDisabled && this.#health.disabledAt) {
      this.#newlyDisabled = true;
      this.#stopped = true;
    }
    if (circuitState(this.#health, now) === 'open') this.#stopped = true;
    const attemptCount = item.attemptCount + 1;
    const next =
      ok || gone ? null : nextRetryAt(now, attemptCount, result, this.#ctx.engine.retry, this.#ctx.random);
    this.#ctx.engine.observer.attempted(
      ok ? 'succeeded' : next ? 'retrying' : 'failed',
      item.eventId,
      'scheduled',
    );
    this.#unrecorded.push({
      attempt: {
        id: attempted.attemptId,
        deliveryId: item.id,
        trigger: 'scheduled',
        startedAt: attempted.startedAt,
        durationMs: result.durationMs,
        requestHeaders: attempted.headers,
        responseStatus: result.status,
        responseBody: result.body,
        error: result.error,
      },
      update: {
        id: item.id,
        expectedAttempts: item.attemptCount,
        status: ok ? 'succeeded' : next ? 'pending' : 'failed',
        attemptCount,
        nextAttemptAt: next,
        lastAttemptAt: attempted.startedAt,
        url: attempted.url,
      },
    });
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = null;
    });
  }

  /**
   * Group commit: everything that finished while the previous commit ran goes in the next one,
   * as one statement; with the destination disabled by it, in a transaction with its event.
   */
  async #flush(): Promise<void> {
    while (this.#unrecorded.length > 0 && !this.#error) {
      const batch = this.#unrecorded.splice(0);
      const outcomes = {
        attempts: batch.map((o) => o.attempt),
        updates: batch.map((o) => o.update),
        health: this.#health,
      };
      const disable = this.#newlyDisabled;
      this.#newlyDisabled = false;
      const now = this.#ctx.clock.now();
      try {
        if (!disable) await recordOutcomes(this.#ctx.em, this.#dest.id, outcomes, now);
        else
          await this.#ctx.em.transactional(async (tx) => {
            await recordOutcomes(tx, this.#dest.id, outcomes, now);
            await this.#disable(tx, outcomes.health, now);
          });
        for (const u of outcomes.updates) this.#uncommitted.delete(u.id);
      } catch (err) {
        this.#error = err;
      }
    }
  }

  async #recordAll(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  /** Announces the destination's end and fails what was waiting for it, in the same commit. */
  async #disable(tx: EntityManager, health: Health, now: Date): Promise<void> {
    const d = this.#dest;
    await recordEvent(tx, this.#ctx.clock, {
      partnerId: d.partnerId,
      type: 'webhook_endpoint.disabled',
      data: {
        endpoint_id: d.kind === 'partner_webhook' ? 'primary' : d.id,
        url: d.url,
        reason: health.disabledReason ?? 'disabled',
      },
    });
    await failPending(tx, d.id, now);
  }

  /**
   * Ends the run: gives the runner role up and makes the next due time a job. False instead
   * when deliveries came due meanwhile (recorded while this job ran): go round again.
   */
  async #finish(): Promise<boolean> {
    const now = this.#ctx.clock.now();
    const open = circuitState(this.#health, now) === 'open';
    const goOn = !this.#stopped && !open;
    return this.#ctx.em.transactional(async (tx) => {
      const { released, nextDueAt } = await releaseRunner(tx, this.#dest.id, this.#jobId, {
        onlyIfIdle: goOn ? dueBy(now) : null,
      });
      if (!released && goOn) return false;
      if (!nextDueAt) return true;
      let runAt = nextDueAt > now ? nextDueAt : now;
      if (open && this.#health.circuitOpenUntil! > runAt) runAt = this.#health.circuitOpenUntil!;
      await scheduleDeliveryJobs(tx, this.#ctx.clock, [
        { destinationId: this.#dest.id, runAt, kind: 'later' },
      ]);
      return true;
    });
  }
}
