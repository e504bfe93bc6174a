import os from 'node:os';
import type { MikroORM } from '@mikro-orm/postgresql';
import { query, run } from '../db/sql.ts';
import type { Logger } from '../logger.ts';

/**
 * The fence around graphile-worker's locks. graphile-worker releases a dead worker's jobs only
 * after 4 hours; here every pool touches its `worker_heartbeats` row every `deadAfterMs / 4`
 * (database time), and any pool may release, through graphile-worker's own
 * `force_unlock_workers`, the jobs of a pool silent for `deadAfterMs`. A pool only fences others
 * once its own heartbeats have gone through for `deadAfterMs`: after a database outage, peers
 * that are still reconnecting are not taken for dead.
 */
export class Fence {
  readonly #orm: MikroORM;
  readonly #deadAfterMs: number;
  readonly #logger: Logger;
  #poolId: string | null = null;
  /** This process's pools that died holding locks not yet released (the database was away). */
  #deadOwn: string[] = [];
  /** When this pool's heartbeats started succeeding without a gap. */
  #healthySince: number | null = null;
  #timer: NodeJS.Timeout | undefined;
  #beat: Promise<void> = Promise.resolve();

  constructor(orm: MikroORM, deadAfterMs: number, logger: Logger) {
    this.#orm = orm;
    this.#deadAfterMs = deadAfterMs;
    this.#logger = logger;
  }

  /** Starts beating for a freshly started pool; first frees what this process's dead pools held. */
  async watch(poolId: string): Promise<void> {
    await this.#releaseDeadOwn();
    this.#poolId = poolId;
    this.#healthySince = null;
    await this.#tick();
    clearInterval(this.#timer);
    this.#timer = setInterval(() => {
      this.#beat = this.#beat.then(() => this.#tick());
    }, this.#deadAfterMs / 4);
    this.#timer.unref();
  }

  /**
   * The pool stopped: its jobs, if it died holding any, are free to run elsewhere now (no need
   * to wait for its heartbeat to go stale), and its row goes. With the database away, that
   * happens when the next pool starts.
   */
  async release(options: { unlock: boolean }): Promise<void> {
    clearInterval(this.#timer);
    await this.#beat;
    const poolId = this.#poolId;
    this.#poolId = null;
    if (!poolId) return;
    if (options.unlock) {
      this.#deadOwn.push(poolId);
      await this.#releaseDeadOwn();
      return;
    }
    await run(this.#orm.em.fork(), 'delete from worker_heartbeats where pool_id = ?', [poolId]).catch(
      () => {},
    );
  }

  async #releaseDeadOwn(): Promise<void> {
    if (this.#deadOwn.length === 0) return;
    const pools = [...this.#deadOwn];
    try {
      await this.#orm.em.fork().transactional(async (tx) => {
        await query(tx, 'select graphile_worker.force_unlock_workers(array[?]::text[])', [pools]);
        await run(tx, 'delete from worker_heartbeats where pool_id in (?)', [pools]);
      });
      this.#deadOwn = this.#deadOwn.filter((p) => !pools.includes(p));
    } catch (err) {
      this.#logger.debug({ err, pools }, 'could not release stopped worker pools yet');
    }
  }

  async #tick(): Promise<void> {
    const poolId = this.#poolId;
    if (!poolId) return;
    const em = this.#orm.em.fork();
    try {
      await run(
        em,
        `insert into worker_heartbeats (pool_id, process, started_at, seen_at) values (?, ?, now(), now())
         on conflict (pool_id) do update set seen_at = now()`,
        [poolId, `${os.hostname()}:${process.pid}`.slice(0, 200)],
      );
      this.#healthySince ??= Date.now();
      if (Date.now() - this.#healthySince >= this.#deadAfterMs) await this.#sweep();
    } catch (err) {
      this.#healthySince = null;
      this.#logger.debug({ err }, 'worker heartbeat failed');
    }
  }

  async #sweep(): Promise<void> {
    const em = this.#orm.em.fork();
    const seconds = this.#deadAfterMs / 1000;
    const dead = await query<{ poolId: string; jobs: number }>(
      em,
      `select j.locked_by as "poolId", count(*)::int as jobs from graphile_worker.jobs j
        where j.locked_by is not null and j.locked_at < now() - make_interval(secs => ?)
          and not exists (select 1 from worker_heartbeats h
                           where h.pool_id = j.locked_by and h.seen_at > now() - make_interval(secs => ?))
        group by j.locked_by`,
      [seconds, seconds],
    );
    if (dead.length > 0) {
      await query(em, 'select graphile_worker.force_unlock_workers(array[?]::text[])', [
        dead.map((d) => d.poolId),
      ]);
      this.#logger.warn({ pools: dead }, 'released the jobs of worker pools that stopped checking in');
    }
    await run(em, `delete from worker_heartbeats where seen_at < now() - interval '1 day'`);
  }
}
