import type { MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import type { OutboxSignal } from '../webhooks/delivery/outbox-signal.ts';
import { keepUnrouted, routeMetaPayloads } from './inbound-router.ts';

interface Pending {
  payload: unknown;
  resolve(): void;
  reject(err: unknown): void;
}

const MAX_BATCH = 500;

/**
 * Group commit for Meta's webhooks: each request is acknowledged only after its payload is
 * committed, and requests that arrive while a commit is running share the next one. Idle,
 * that is one transaction per request with no added wait; under load, hundreds per commit.
 */
export class InboundRecorder {
  readonly #queue: Pending[] = [];
  #flushing = false;
  readonly #deps: { orm: MikroORM; clock: Clock; logger: Logger; outbox: OutboxSignal };

  constructor(deps: { orm: MikroORM; clock: Clock; logger: Logger; outbox: OutboxSignal }) {
    this.#deps = deps;
  }

  record(payload: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ payload, resolve, reject });
      if (!this.#flushing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#queue.length > 0) await this.#commit(this.#queue.splice(0, MAX_BATCH));
    } finally {
      this.#flushing = false;
    }
  }

  async #commit(batch: Pending[]): Promise<void> {
    const { orm, clock, outbox } = this.#deps;
    try {
      const routed = await orm.em.fork().transactional((tx) =>
        routeMetaPayloads(
          tx,
          clock,
          batch.map((p) => p.payload),
        ),
      );
      if (routed.deliveries > 0) outbox.committed();
      for (const p of batch) p.resolve();
    } catch (err) {
      // One bad payload must not fail its neighbours: retry them one by one.
      if (batch.length > 1) {
        for (const p of batch) await this.#commit([p]);
        return;
      }
      await this.#keep(batch[0]!, err);
    }
  }

  /** Routing failed for this payload: keep it raw and acknowledge (Meta would retry the same bytes). */
  async #keep(pending: Pending, err: unknown): Promise<void> {
    const { orm, clock, logger } = this.#deps;
    logger.error({ err }, 'could not route a Meta webhook; kept it in meta_webhooks for replay');
    try {
      await keepUnrouted(orm.em.fork(), clock, pending.payload, String((err as Error)?.message ?? err));
      pending.resolve();
    } catch (storeErr) {
      // Not even stored: answer with an error so Meta retries it later.
      pending.reject(storeErr);
    }
  }
}
