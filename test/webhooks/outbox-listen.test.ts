import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { listenForOutbox, OUTBOX_CHANNEL } from '../../server/modules/webhooks/delivery/outbox-signal.ts';
import { useTestHub } from '../support/hub.ts';

describe('outbox LISTEN connection', () => {
  const hub = useTestHub();

  async function sql(query: string) {
    const client = new pg.Client({ connectionString: hub.databaseUrl });
    await client.connect();
    try {
      return (await client.query(query)).rows;
    } finally {
      await client.end();
    }
  }

  /** Resolves once `count()` reaches `n`, polling every 10 ms, or fails after 5 s. */
  async function reaches(count: () => number, n: number) {
    await expect.poll(count, { timeout: 5000, interval: 10 }).toBeGreaterThanOrEqual(n);
  }

  it('reconnects after its connection is killed and hears NOTIFYs again', async () => {
    let wakes = 0;
    const errors: unknown[] = [];
    const stop = await listenForOutbox(hub.databaseUrl, () => wakes++, {
      onError: (err) => errors.push(err),
      retryDelaysMs: [20],
    });
    try {
      await sql(`notify ${OUTBOX_CHANNEL}`);
      await reaches(() => wakes, 1);

      const killed = await sql(
        `select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen ${OUTBOX_CHANNEL}' and datname = current_database()`,
      );
      expect(killed).toHaveLength(1);
      // Reconnecting wakes the pump once: NOTIFYs sent while disconnected are lost.
      await reaches(() => wakes, 2);
      expect(errors.length).toBeGreaterThan(0);

      const before = wakes;
      await sql(`notify ${OUTBOX_CHANNEL}`);
      await reaches(() => wakes, before + 1);
    } finally {
      await stop();
    }
    // Stopped means stopped: no reconnect, no listener left behind.
    const listeners = await sql(
      `select count(*)::int n from pg_stat_activity where query = 'listen ${OUTBOX_CHANNEL}' and datname = current_database()`,
    );
    expect(listeners[0].n).toBe(0);
  });
});
