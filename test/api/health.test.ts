import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createOrm } from '../../server/db/orm.ts';
import type { WorkerStatus } from '../../server/deps.ts';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub();

describe('health endpoints', () => {
  it('/livez answers while the process is up', async () => {
    const res = await request(hub.app).get('/livez');
    expect([res.status, res.body]).toEqual([200, { status: 'ok' }]);
  });

  it('/readyz is 200 when the database answers, migrations are applied and the worker runs', async () => {
    const res = await request(hub.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', worker: 'ok' } });
  });

  it.each<[WorkerStatus, number]>([
    ['stopped', 503],
    ['disabled', 200],
  ])('/readyz with the worker %s answers %i', async (status, code) => {
    const app = createApp({ ...hub.deps, workerStatus: () => status });
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(code);
    expect(res.body.checks.worker).toBe(status);
  });

  it('/readyz is 503 when the database is unreachable', async () => {
    // Port 1 on loopback: nothing listens there, so every query fails to connect.
    const orm = await createOrm('postgres://postgres@127.0.0.1:1/nowhere', { poolMax: 1 });
    const res = await request(createApp({ ...hub.deps, orm })).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      status: 'unavailable',
      checks: { database: 'error', migrations: 'error', worker: 'ok' },
    });
    await orm.close(true);
  });
});
