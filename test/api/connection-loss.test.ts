import request from 'supertest';
import { describe, expect, inject, it } from 'vitest';
import { adminQuery } from '../support/admin.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const hub = useTestHub();

describe('losing database connections', () => {
  it('survives the server terminating idle connections (restart, failover) and keeps answering', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    const call = () => request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(token));
    expect((await call()).status).toBe(200);

    const database = new URL(hub.databaseUrl).pathname.slice(1);
    await adminQuery(
      inject('adminDatabaseUrl'),
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${database}' and pid <> pg_backend_pid()`,
    );
    // Let the terminations reach the idle clients before the next request.
    await new Promise((r) => setTimeout(r, 200));

    const after = await call();
    expect(after.status).toBe(200);
    expect(after.body.id).toBe(partner.id);
  });
});
