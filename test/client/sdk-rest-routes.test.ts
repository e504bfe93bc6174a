import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRoutes, ROUTES_FILE } from '../../client/generate-routes.ts';
import { createPartnerHubClient } from '../../client/src/sdk.ts';
import { acceptsIdempotencyKey, type Operation } from '../../server/api/operation.ts';
import { namedOperations, partnerApiOperations } from '../../server/api/operations/index.ts';

interface Sent {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  query?: Record<string, string>;
  body?: unknown;
}

/** An SDK whose requests are recorded instead of sent. */
function recordingClient() {
  const sent: Sent[] = [];
  const client = createPartnerHubClient({
    baseUrl: 'http://hub.invalid',
    token: 'hubp_test',
    partnerId: 'ptn_1',
    fetch: async (input, init) => {
      const url = new URL(String(input));
      const headers = (init?.headers ?? {}) as Record<string, string>;
      sent.push({
        method: init?.method ?? 'GET',
        path: url.pathname.replace(/^\/api\/v2/, ''),
        idempotencyKey: headers['idempotency-key'],
        query: Object.fromEntries(url.searchParams),
        body: init?.body === undefined ? undefined : JSON.parse(String(init.body)),
      });
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
  return { rest: client.rest, sent };
}

/** The declared operation a request reaches, by method and path pattern. */
function operationOf(request: Sent) {
  return partnerApiOperations.find(
    (op) =>
      op.method === request.method.toLowerCase() &&
      new RegExp(`^${op.path.replaceAll(/:\w+/g, '[^/]+')}$`).test(request.path),
  );
}

describe("the SDK's REST helpers call declared operations", () => {
  it('every helper reaches a declared operation, and sends Idempotency-Key only where it is honoured', async () => {
    const { rest, sent } = recordingClient();
    await rest.partner.get();
    await rest.partner.update({ name: 'x' });
    await rest.clients.list();
    await rest.clients.get('cli_1');
    await rest.channels.list();
    await rest.channels.get('chn_1');
    await rest.channels.health('chn_1');
    await rest.channels.messages('chn_1', { direction: 'inbound' });
    await rest.channels.disconnect('chn_1');
    await rest.channels.update('chn_1', { metadata: { crm: 1 } });
    await rest.audit.list({ action_prefix: 'api_key.' });
    await rest.channels.revealSecrets('chn_1', ['access_token']);
    await rest.apiKeys.create('chn_1', {}, 'key-1');
    await rest.apiKeys.list('chn_1');
    await rest.apiKeys.revoke('chn_1', 'key_1');
    await rest.onboardingSessions.create({ tenant_id: 't' }, 'key-2');
    await rest.onboardingSessions.list();
    await rest.onboardingSessions.get('obs_1');
    await rest.onboardingSessions.cancel('obs_1');
    await rest.onboardingSessions.delete('obs_1');
    await rest.templates.list({ name_prefix: 'order' });
    await rest.templates.refresh({}, 'key-3');
    const { api: _generated, ...named } = rest;
    const helperCount = Object.values(named).reduce(
      (n, group) => n + (typeof group === 'function' ? 0 : Object.keys(group).length),
      0,
    );
    expect(sent).toHaveLength(helperCount);
    for (const request of sent) {
      const op = operationOf(request);
      expect(op, `${request.method} ${request.path}`).toBeDefined();
      if (request.idempotencyKey) expect(acceptsIdempotencyKey(op!), op!.operationId).toBe(true);
    }
  });

  it('a helper on an undeclared route would be caught', () => {
    expect(operationOf({ method: 'PUT', path: '/partners/ptn_1/clients', idempotencyKey: undefined })).toBe(
      undefined,
    );
  });
});

/** Walks `rest.api` by a dotted name (`webhooks.endpoints.rotateSecret`). */
function helperAt(api: object, name: string) {
  return name.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], api) as (
    input?: Record<string, unknown>,
    options?: { idempotencyKey?: string },
  ) => Promise<unknown>;
}

/** Input for an operation: a value for every path id, and one extra field that must reach query or body. */
function sampleInput(op: Operation) {
  const ids = [...op.path.matchAll(/:(\w+)/g)].map(([, id]) => id!).filter((id) => id !== 'partner_id');
  return { ...Object.fromEntries(ids.map((id) => [id, `${id}/1`])), probe: 'x' };
}

describe('the REST helpers generated from the declarations (rest.api)', () => {
  it('client/src/rest-routes.ts is what `npm run generate:sdk` writes from the declarations today', () => {
    expect(readFileSync(ROUTES_FILE, 'utf8')).toBe(generateRoutes());
  });

  it('client/src imports nothing outside itself', () => {
    for (const file of readdirSync(path.dirname(ROUTES_FILE))) {
      const text = readFileSync(path.join(path.dirname(ROUTES_FILE), file), 'utf8');
      expect(text, file).not.toMatch(/from '\.\.\/|import\('\.\.\//);
    }
  });

  it('every declared operation has a helper under its tRPC name that sends what REST expects', async () => {
    const { rest, sent } = recordingClient();
    const named = namedOperations();
    expect(named.length).toBe(partnerApiOperations.length);
    for (const [name, op] of named) {
      const before = sent.length;
      const input = sampleInput(op);
      await helperAt(rest.api, name)(input, { idempotencyKey: 'idem-1' });
      const request = sent[before]!;
      expect(request.method, name).toBe(op.method.toUpperCase());
      expect(operationOf(request)?.operationId, name).toBe(op.operationId);
      // Path ids are encoded into the path, never repeated as fields.
      for (const [key, value] of Object.entries(input)) {
        if (key === 'probe') continue;
        expect(request.path, name).toContain(`/${encodeURIComponent(value)}`);
        expect(request.query?.[key], name).toBeUndefined();
      }
      if (op.method === 'get') expect(request.query, name).toEqual({ probe: 'x' });
      else if (op.body) expect(request.body, name).toEqual({ probe: 'x' });
      else expect(request.body, name).toBeUndefined();
      expect(request.idempotencyKey, name).toBe(acceptsIdempotencyKey(op) ? 'idem-1' : undefined);
    }
  });

  it('a missing path id is refused before anything is sent', async () => {
    const { rest, sent } = recordingClient();
    await expect(rest.api.channels.get({} as { channel_id: string })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(sent).toHaveLength(0);
  });
});
