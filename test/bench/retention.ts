import os from 'node:os';
import { systemClock } from '../../server/clock.ts';
import { parseConfig } from '../../server/config/env.ts';
import { migrate } from '../../server/db/migrate.ts';
import { query } from '../../server/db/sql.ts';
import { openHub } from '../../server/hub.ts';
import { createLogger } from '../../server/logger.ts';
import { recordEvents } from '../../server/modules/webhooks/record-events.ts';
import { pruneEvents } from '../../server/modules/webhooks/webhook-retention.service.ts';
import { partnerFactory, setWebhookUrl } from '../support/factories.ts';
import type { BenchFlags } from './main.ts';
import { withScratchDatabase } from './scratch-database.ts';

/**
 * `npm run bench -- retention [--events 200000]`: how fast batched deletes prune old events
 * (each with a delivery and an attempt), against how fast the hub records them, in one run.
 * Pruning must keep well ahead of recording for batched deletes to be the right tool; where it
 * does not, time partitions (dropping a day at once) would be.
 */
export async function benchRetention(flags: BenchFlags): Promise<void> {
  const events = Number(flags.events ?? 200_000);
  await withScratchDatabase(async (databaseUrl) => {
    const config = parseConfig({
      DATABASE_URL: databaseUrl,
      HUB_SECRET: 'bench-secret-bench-secret-bench-secret',
    });
    const hub = await openHub(config, createLogger('warn'), { poolMax: 4 });
    await migrate(hub.orm, databaseUrl);
    const { partner } = await partnerFactory(hub.orm.em.fork(), hub);
    const primary = await setWebhookUrl(hub.orm.em.fork(), partner, 'http://127.0.0.1:9/hooks');
    const em = hub.orm.em.fork();

    // Recording, as the hub does it: recordEvents in transactions of 250 (no worker running).
    const recordN = Math.min(20_000, events);
    const recordStart = performance.now();
    for (let done = 0; done < recordN; done += 250) {
      await hub.orm.em.fork().transactional((tx) =>
        recordEvents(
          tx,
          systemClock,
          Array.from({ length: 250 }, () => ({
            partnerId: partner.id,
            type: 'ping' as const,
            data: { message: 'x' },
          })),
        ),
      );
    }
    const recordedPerSecond = recordN / ((performance.now() - recordStart) / 1000);

    // History older than the retention: events, a delivered delivery and an attempt each.
    await query(
      em,
      `insert into webhook_events (id, partner_id, type, body, created_at)
       select 'evt_old' || lpad(g::text, 23, '0'), ?, 'ping', '{"type":"ping","data":{"message":"x"}}',
              now() - interval '40 days' + g * interval '1 millisecond'
         from generate_series(1, ?) g`,
      [partner.id, events],
    );
    await query(
      em,
      `insert into webhook_deliveries (id, event_id, event_type, partner_id, destination_id, kind, url, status,
                                       attempt_count, created_at, updated_at)
       select 'dlv_old' || substr(id, 8), id, type, partner_id, ?, 'partner_webhook', 'http://127.0.0.1:9/hooks',
              'succeeded', 1, created_at, created_at
         from webhook_events where id like 'evt_old%'`,
      [primary.id],
    );
    await query(
      em,
      `insert into webhook_attempts (id, delivery_id, trigger, started_at, duration_ms, response_status)
       select 'att_old' || substr(id, 8), id, 'scheduled', created_at, 5, 200
         from webhook_deliveries where id like 'dlv_old%'`,
    );
    await query(em, 'vacuum analyze webhook_events, webhook_deliveries, webhook_attempts');

    const pruneStart = performance.now();
    const pruned = await pruneEvents(em, new Date(Date.now() - 30 * 86400_000), {
      deadline: performance.now() + 600_000,
    });
    const prunedPerSecond = pruned / ((performance.now() - pruneStart) / 1000);
    await hub.close();

    const figures = {
      bench: 'retention',
      recorded_per_s: Math.round(recordedPerSecond),
      pruned_events: pruned,
      pruned_per_s: Math.round(prunedPerSecond),
      ratio: Number((prunedPerSecond / recordedPerSecond).toFixed(2)),
    };
    process.stdout.write(
      [
        `retention: ${events} events past retention, each with a delivery and an attempt, pruned in batches`,
        `  machine         ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
        `  recording       ${figures.recorded_per_s} events/s (recordEvents, 250 per transaction, no delivery running)`,
        `  pruning         ${figures.pruned_per_s} events/s with their deliveries and attempts (ratio ${figures.ratio})`,
        JSON.stringify(figures),
        '',
      ].join('\n'),
    );
  });
}
