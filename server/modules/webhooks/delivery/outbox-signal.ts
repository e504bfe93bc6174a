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

/** A dedicated connection listening for other processes' wake-ups. */
export async function listenForOutbox(databaseUrl: string, onWake: () => void): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'partner-hub' });
  await client.connect();
  client.on('notification', onWake);
  client.on('error', () => {});
  await client.query(`listen ${OUTBOX_CHANNEL}`);
  return () => client.end();
}
