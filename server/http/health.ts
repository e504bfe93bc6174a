import { Router } from 'express';
import { pendingMigrations } from '../db/migrate.ts';
import { query } from '../db/sql.ts';
import type { Hub } from '../hub.ts';

export type CheckResult = 'ok' | 'error' | 'pending' | 'stopped' | 'disabled';

export interface Readiness {
  ready: boolean;
  checks: { database: CheckResult; migrations: CheckResult; worker: CheckResult };
}

/**
 * Probes answer within this, even when connecting to the database hangs (a partitioned
 * network drops packets instead of refusing): a late "ready" is worth less than a prompt "no".
 */
export const READINESS_TIMEOUT_MS = 1000;

/**
 * What `/readyz` answers (database, migrations, worker), as a function: the console's system
 * health asks the same question. Each probe keeps its own state, so make one per caller.
 */
export function readinessProbe(deps: Hub): () => Promise<Readiness> {
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

  return async () => {
    const checks: Readiness['checks'] = { database: 'ok', migrations: 'ok', worker: 'ok' };
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
    return { ready, checks };
  };
}

/** `/livez`: the process answers. `/readyz`: it can do useful work right now. */
export function healthRoutes(deps: Hub): Router {
  const routes = Router({ caseSensitive: true });
  const readiness = readinessProbe(deps);

  routes.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });

  routes.get('/readyz', async (_req, res) => {
    const { ready, checks } = await readiness();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
  });

  return routes;
}
