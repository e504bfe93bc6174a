import net from 'node:net';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createOrm } from '../../server/db/orm.ts';
import { READINESS_TIMEOUT_MS } from '../../server/http/health.ts';
import type { WorkerStatus } from '../../server/hub.ts';
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

  it('/readyz answers 503 promptly when connecting hangs, and does not pile up connections', async () => {
    // Accepts TCP connections and never answers: what a partitioned network looks like.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const orm = await createOrm(`postgres://postgres@127.0.0.1:${port}/nowhere`, { poolMax: 5 });
    try {
      const app = createApp({ ...hub.deps, orm });
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        const res = await request(app).get('/readyz');
        expect(res.status).toBe(503);
        expect(res.body.checks.database).toBe('error');
        expect(Date.now() - started).toBeLessThan(READINESS_TIMEOUT_MS + 1000);
      }
      // The first probe still hangs; the polls after it waited on it instead of opening more.
      expect(sockets).toHaveLength(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await orm.close(true);
    }
  });
});
