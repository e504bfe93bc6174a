import { EventEmitter } from 'node:events';
import type { EventSubscriber, FlushEventArgs, TransactionEventArgs } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { WebhookDelivery } from '../webhook-delivery.entity.ts';

export const OUTBOX_CHANNEL = 'hub_outbox';
/** At most one cross-process wake-up per this many ms, however many events commit: NOTIFY is never per event. */
const NOTIFY_EVERY_MS = 5;

/**
 * Wakes the delivery pump as soon as deliveries are committed: directly when the pump runs
 * in this process, and through a coalesced NOTIFY for pumps in other processes.
 */
export class OutboxSignal extends EventEmitter {
  readonly #orm: MikroORM;
  #notifyScheduled = false;
  #closed = false;

  constructor(orm: MikroORM) {
    super();
    this.#orm = orm;
    this.setMaxListeners(100);
    orm.em.getEventManager().registerSubscriber(new DeliveryCommitSubscriber(() => this.committed()));
  }

  committed(): void {
    this.emit('deliveries');
    if (this.#notifyScheduled || this.#closed) return;
    this.#notifyScheduled = true;
    setTimeout(() => {
      this.#notifyScheduled = false;
      if (this.#closed) return;
      this.#orm.em
        .getConnection()
        .execute(`notify ${OUTBOX_CHANNEL}`)
        .catch(() => {});
    }, NOTIFY_EVERY_MS).unref();
  }

  close(): void {
    this.#closed = true;
  }
}

/** Signals after the commit that made new deliveries visible (not before, or the pump would find nothing). */
class DeliveryCommitSubscriber implements EventSubscriber {
  readonly #pending = new WeakSet<object>();
  readonly #signal: () => void;

  constructor(signal: () => void) {
    this.#signal = signal;
  }

  afterFlush(args: FlushEventArgs): void {
    const created = args.uow
      .getChangeSets()
      .some((cs) => cs.entity instanceof WebhookDelivery && cs.type === 'create');
    if (!created) return;
    if (args.em.isInTransaction()) this.#pending.add(args.em.getTransactionContext() as object);
    else this.#signal();
  }

  afterTransactionCommit(args: TransactionEventArgs): void {
    const tx = args.transaction as object | undefined;
    if (tx && this.#pending.has(tx)) {
      this.#pending.delete(tx);
      this.#signal();
    }
  }
}

/**
 * A dedicated connection listening for other processes' wake-ups. If the connection is lost
 * (database restart, failover, an idle-connection reaper), it reconnects with backoff and
 * wakes the pump once reconnected, since NOTIFYs sent in between are gone; meanwhile the
 * pump's poll keeps deliveries moving.
 */
export async function listenForOutbox(
  databaseUrl: string,
  onWake: () => void,
  options: { onError?: (err: unknown) => void; retryDelaysMs?: number[] } = {},
): Promise<() => Promise<void>> {
  const delays = options.retryDelaysMs ?? [100, 500, 1000, 2000, 5000];
  let client: pg.Client | undefined;
  let stopped = false;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: 'partner-hub' });
    next.on('notification', onWake);
    next.on('error', (err) => {
      options.onError?.(err);
      void reconnect(next);
    });
    next.on('end', () => void reconnect(next));
    await next.connect();
    await next.query(`listen ${OUTBOX_CHANNEL}`);
    client = next;
  };

  const reconnect = async (lost: pg.Client): Promise<void> => {
    if (stopped || client !== lost) return;
    client = undefined;
    lost.removeAllListeners('end');
    lost.end().catch(() => {});
    for (let attempt = 0; !stopped; attempt++) {
      await new Promise((r) => setTimeout(r, delays[Math.min(attempt, delays.length - 1)]).unref());
      if (stopped) return;
      try {
        await connect();
        onWake();
        return;
      } catch (err) {
        options.onError?.(err);
      }
    }
  };

  await connect();
  return async () => {
    stopped = true;
    const current = client;
    client = undefined;
    await current?.end().catch(() => {});
  };
}
