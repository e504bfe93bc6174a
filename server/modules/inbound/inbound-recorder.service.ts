import type { MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { isDatabaseUnavailable } from '../../db/unavailable.ts';
import type { Logger } from '../../logger.ts';
import { type InboundPayload, keepUnrouted, routeMetaPayloads } from './inbound-router.ts';

interface Pending {
  payload: InboundPayload;
  resolve(): void;
  reject(err: unknown): void;
}

const MAX_BATCH = 500;

/**
 * Group commit for Meta's webhooks: each request is acknowledged only after its payload is
 * committed, and requests that arrive while a commit is running share the next one. Idle,
 * that is one transaction per request with no added wait; under load, hundreds per commit.
 * A request is answered with an error only when nothing of it was committed.
 */
export class InboundRecorder {
  readonly #queue: Pending[] = [];
  #flushing = false;
  readonly #deps: { orm: MikroORM; clock: Clock; logger: Logger };

  constructor(deps: { orm: MikroORM; clock: Clock; logger: Logger }) {
    this.#deps = deps;
  }

  record(payload: InboundPayload): Promise<void> {
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
    const { orm, clock } = this.#deps;
    try {
      await orm.em.fork().transactional((tx) =>
        routeMetaPayloads(
          tx,
          clock,
          batch.map((p) => p.payload),
        ),
      );
      for (const p of batch) p.resolve();
    } catch (err) {
      // The database is away: nothing was committed, and nothing can be; Meta will retry.
      if (isDatabaseUnavailable(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      // One bad payload must not fail its neighbours: retry them one by one.
      if (batch.length > 1) {
        for (const p of batch) await this.#commit([p]);
        return;
      }
      await this.#keep(batch[0]!, err);
    }
  }

  /** Routing failed for this payload: keep the bytes and acknowledge (Meta would retry the same bytes). */
  async #keep(pending: Pending, err: unknown): Promise<void> {
    const { orm, clock, logger } = this.#deps;
    try {
      await orm.em
        .fork()
        .transactional((tx) =>
          keepUnrouted(tx, clock, pending.payload.raw, String((err as Error)?.message ?? err)),
        );
      logger.error({ err }, 'could not route a Meta webhook; kept it in meta_webhooks for replay');
      pending.resolve();
    } catch (storeErr) {
      // Not even stored: answer with an error so Meta retries it later.
      pending.reject(storeErr);
    }
  }
}
