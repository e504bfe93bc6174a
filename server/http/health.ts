import { Router } from 'express';
import { pendingMigrations } from '../db/migrate.ts';
import type { AppDeps } from '../deps.ts';

type CheckResult = 'ok' | 'error' | 'pending' | 'stopped' | 'disabled';

/** `/livez`: the process answers. `/readyz`: it can do useful work right now. */
export function healthRoutes(deps: AppDeps): Router {
  const routes = Router();
  // Migrations only ever move forward at runtime, so once applied, stay applied.
  let migrationsApplied = false;

  routes.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });

  routes.get('/readyz', async (_req, res) => {
    const checks: Record<string, CheckResult> = { database: 'ok', migrations: 'ok', worker: 'ok' };
    try {
      await deps.orm.em.getConnection().execute('select 1');
      if (!migrationsApplied) migrationsApplied = (await pendingMigrations(deps.orm)).length === 0;
      if (!migrationsApplied) checks.migrations = 'pending';
    } catch {
      checks.database = 'error';
      checks.migrations = 'error';
    }
    const worker = deps.workerStatus();
    checks.worker = worker === 'running' ? 'ok' : worker;
    const ready = Object.values(checks).every((c) => c === 'ok' || c === 'disabled');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
  });

  return routes;
}
