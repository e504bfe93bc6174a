import { Router } from 'express';
import { pendingMigrations } from '../db/migrate.ts';
import { query } from '../db/sql.ts';
import type { Hub } from '../hub.ts';

type CheckResult = 'ok' | 'error' | 'pending' | 'stopped' | 'disabled';

/**
 * Probes answer within this, even when connecting to the database hangs (a partitioned
 * network drops packets instead of refusing): a late "ready" is worth less than a prompt "no".
 */
export const READINESS_TIMEOUT_MS = 1000;

/** `/livez`: the process answers. `/readyz`: it can do useful work right now. */
export function healthRoutes(deps: Hub): Router {
  const routes = Router({ caseSensitive: true });
  // Migrations only ever move forward at runtime, so once applied, stay applied.
  let migrationsApplied = false;
  // One probe at a time: while a hung one holds a pooled connection, later polls do not queue more behind it.
  let inFlight: Promise<boolean> | undefined;

  const probeDatabase = (): Promise<boolean> => {
    inFlight ??= (async () => {
      await query(deps.orm.em.fork(), 'select 1');
      if (!migrationsApplied) migrationsApplied = (await pendingMigrations(deps.orm)).length === 0;
      return migrationsApplied;
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  routes.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });

  routes.get('/readyz', async (_req, res) => {
    const checks: Record<string, CheckResult> = { database: 'ok', migrations: 'ok', worker: 'ok' };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('readiness probe timed out')), READINESS_TIMEOUT_MS);
    });
    try {
      if (!(await Promise.race([probeDatabase(), timeout]))) checks.migrations = 'pending';
    } catch {
      checks.database = 'error';
      checks.migrations = 'error';
    } finally {
      clearTimeout(timer);
    }
    const worker = deps.workerStatus();
    checks.worker = worker === 'running' ? 'ok' : worker;
    const ready = Object.values(checks).every((c) => c === 'ok' || c === 'disabled');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
  });

  return routes;
}
