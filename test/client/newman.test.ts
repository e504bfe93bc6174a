import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

interface NewmanExecution {
  item: { name: string };
  request: { method: string; url: { getPath(): string } };
  response?: { code: number; stream: Buffer };
  requestError?: Error;
}
interface NewmanSummary {
  run: { executions: NewmanExecution[]; failures: unknown[] };
}
interface Newman {
  run(
    options: {
      collection: object;
      folder?: string;
      envVar?: { key: string; value: string }[];
      reporters?: string[];
      timeoutRequest?: number;
    },
    done: (err: Error | null, summary: NewmanSummary) => void,
  ): void;
}

const require = createRequire(import.meta.url);
const newman = require('newman') as Newman;

/** Postman's own collection runner (newman) runs the hub's collection as a partner would. */
describe('the Postman collection in newman', () => {
  const hub = useTestHub({}, { listen: true });

  it('runs the onboarding-session folder: the created id is stored and used by the requests after it', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps, 'Postman SaaS');
    const collection = (await (await fetch(`${hub.url}/api/v2/postman.json`)).json()) as object;
    const summary = await new Promise<NewmanSummary>((resolve, reject) =>
      newman.run(
        {
          collection,
          folder: 'Onboarding sessions',
          envVar: [
            { key: 'token', value: token },
            { key: 'partner_id', value: partner.id },
          ],
          reporters: [],
          timeoutRequest: 10_000,
        },
        (err, result) => (err ? reject(err) : resolve(result)),
      ),
    );
    expect(summary.run.failures).toEqual([]);
    const runs = summary.run.executions.map((e) => ({
      method: e.request.method,
      path: e.request.url.getPath(),
      code: e.response?.code,
      body: e.response ? JSON.parse(e.response.stream.toString() || 'null') : null,
    }));
    expect(runs.every((r) => r.code !== undefined && r.code < 500)).toBe(true);
    const created = runs.find((r) => r.method === 'POST' && r.path.endsWith('/onboarding_sessions'))!;
    expect(created.code).toBe(201);
    const id = created.body.id as string;
    expect(id).toMatch(/^obs_/);
    const fetched = runs.find((r) => r.method === 'GET' && r.path.endsWith(`/onboarding_sessions/${id}`));
    expect(fetched).toMatchObject({ code: 200, body: { id, tenant_id: 'tenant-1' } });
    // Every request after the creation addressed that session: none went out with an empty id.
    expect(
      runs.filter((r) => r.path.includes('/onboarding_sessions/')).every((r) => r.path.includes(id)),
    ).toBe(true);
  });
});
