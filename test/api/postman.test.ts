import { describe, expect, it } from 'vitest';
import { partnerApiOperations } from '../../server/api/operations/index.ts';
import { POSTMAN_SCHEMA } from '../../server/rest/postman.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

interface PostmanRequest {
  name: string;
  request: {
    method: string;
    header: { key: string; value: string }[];
    url: { raw: string; path: string[] };
    body?: { raw: string };
  };
  event?: { listen: string; script: { exec: string[] } }[];
}
interface Collection {
  info: { schema: string };
  auth: { type: string };
  variable: { key: string; value: string }[];
  item: { name: string; item: PostmanRequest[] }[];
}

describe('the Postman collection', () => {
  const hub = useTestHub({}, { listen: true });

  async function collection(): Promise<Collection> {
    const res = await fetch(`${hub.url}/api/v2/postman.json`);
    expect(res.status).toBe(200);
    return (await res.json()) as Collection;
  }

  it('has one request per declared operation, with bearer auth and a variable per path parameter', async () => {
    const c = await collection();
    expect(c.info.schema).toBe(POSTMAN_SCHEMA);
    expect(c.auth.type).toBe('bearer');
    const requests = c.item.flatMap((folder) => folder.item);
    const declared = partnerApiOperations.map(
      (op) => `${op.method.toUpperCase()} ${op.path.replaceAll(/:(\w+)/g, '{{$1}}')}`,
    );
    expect(requests.map((r) => `${r.request.method} /${r.request.url.path.join('/')}`).sort()).toEqual(
      declared.sort(),
    );
    const variables = Object.fromEntries(c.variable.map((v) => [v.key, v.value]));
    expect(variables.baseUrl).toBe(`${hub.url}/api/v2`);
    for (const key of ['token', 'partner_id', 'channel_id', 'session_id'])
      expect(variables).toHaveProperty(key);
    for (const r of requests.filter((r) => r.request.body))
      expect(() => JSON.parse(r.request.body!.raw)).not.toThrow();
  });

  it('runs as Postman would: create a session, then read it through the stored {{session_id}}', async () => {
    const c = await collection();
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    const vars = new Map(c.variable.map((v) => [v.key, v.value]));
    vars.set('token', token);
    vars.set('partner_id', partner.id);
    const resolve = (s: string) => s.replaceAll(/\{\{(\w+)\}\}/g, (_, k: string) => vars.get(k) ?? '');
    const requests = c.item.flatMap((folder) => folder.item);
    const byName = (name: string) => requests.find((r) => r.name === name)!;

    async function send(item: PostmanRequest) {
      const res = await fetch(resolve(item.request.url.raw), {
        method: item.request.method,
        headers: {
          authorization: `Bearer ${vars.get('token')}`,
          ...Object.fromEntries(item.request.header.map((h) => [h.key, h.value])),
        },
        body: item.request.body ? resolve(item.request.body.raw) : undefined,
      });
      const body = (await res.json()) as Record<string, string>;
      // The collection's test scripts, with the part of Postman's `pm` they use.
      const pm = {
        response: { json: () => body },
        collectionVariables: { set: (k: string, v: string) => vars.set(k, v) },
      };
      for (const e of item.event ?? []) new Function('pm', e.script.exec.join('\n'))(pm);
      return { status: res.status, body };
    }

    const created = await send(byName('Create a one-time onboarding URL for one of your tenants'));
    expect(created.status).toBe(201);
    expect(vars.get('session_id')).toBe(created.body.id);
    const read = await send(byName('Get one onboarding session'));
    expect([read.status, read.body.id, read.body.tenant_id]).toEqual([200, created.body.id, 'tenant-1']);
  });

  it('is linked from the API reference', async () => {
    const doc = (await (await fetch(`${hub.url}/api/v2/openapi.json`)).json()) as {
      info: { description: string };
    };
    expect(doc.info.description).toContain('/api/v2/postman.json');
  });
});
