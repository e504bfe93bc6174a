import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { partnerApiOperations } from '../../server/api/operations/index.ts';
import { signMetaBody } from '../../server/meta/webhook-signature.ts';
import { MetaWebhook } from '../../server/modules/inbound/meta-webhook.entity.ts';
import { appRouter } from '../../server/trpc/router.ts';
import { isSafeJson, isSafeText } from '../../shared/schemas/safe-text.ts';
import { clientUserFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer, partnerWithChannel } from '../support/scenarios.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Files where `z.string()` is not request input: configuration, Meta's answers, outbound bodies. */
const NOT_INPUT = new Set([
  'server/config/env.ts',
  'server/meta/graph-types.ts',
  'shared/events.ts',
  'shared/errors.ts',
  'shared/schemas/safe-text.ts',
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return rel.endsWith('.ts') ? [rel] : [];
  });
}

type Def = { type: string; checks?: { _zod: { def: { check: string; fn?: unknown } } }[] } & Record<
  string,
  unknown
>;
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const NUL_PROBES = ['a\u0000b@example.com', 'https://a.example/\u0000', '\u00002020-01-01T00:00:00Z'];
const hasCheck = (def: Def, fn: unknown) => (def.checks ?? []).some((c) => c._zod.def.fn === fn);

/**
 * Every string a schema accepts, found by walking its definition: each must carry the shared
 * refinement (or a format that refuses NUL anyway), and free-form values must sit under a
 * deep check.
 */
function unsafeLeaves(schema: unknown, where: string, deepChecked = false): string[] {
  const def = defOf(schema);
  const deep = deepChecked || hasCheck(def, isSafeJson);
  const walk = (child: unknown, at = where) => unsafeLeaves(child, at, deep);
  switch (def.type) {
    case 'string': {
      if (hasCheck(def, isSafeText)) return [];
      // A format of its own (email, datetime) may refuse NUL by its pattern: then it is safe.
      const refuses = def.format && NUL_PROBES.every((p) => !(schema as z.ZodType).safeParse(p).success);
      return refuses ? [] : [where];
    }
    case 'unknown':
    case 'any':
      return deep ? [] : [where];
    case 'object':
      return [
        ...Object.entries(def.shape as Record<string, unknown>).flatMap(([k, v]) => walk(v, `${where}.${k}`)),
        ...(def.catchall ? walk(def.catchall, `${where}.*`) : []),
      ];
    case 'record':
      return [...walk(def.keyType, `${where}[key]`), ...walk(def.valueType, `${where}[value]`)];
    case 'array':
      return walk(def.element, `${where}[]`);
    case 'tuple':
      return (def.items as unknown[]).flatMap((item, i) => walk(item, `${where}[${i}]`));
    case 'union':
      return (def.options as unknown[]).flatMap((o) => walk(o));
    case 'intersection':
      return [...walk(def.left), ...walk(def.right)];
    case 'pipe':
      return [...walk(def.in), ...walk(def.out)];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return walk(def.innerType);
    case 'lazy':
      return walk((def.getter as () => unknown)());
    default:
      return [];
  }
}

describe('one refinement for every input string', () => {
  it('no bare z.string() in server/ or shared/ outside the files that parse no request input', () => {
    const offenders = [...sourceFiles('server'), ...sourceFiles('shared')]
      .filter((file) => !NOT_INPUT.has(file))
      .filter((file) => /\bz\s*\.string\(\)/.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(offenders, 'use safeString() from shared/schemas/safe-text.ts').toEqual([]);
  });

  it('every REST path, query and body schema refuses NUL in each of its strings', () => {
    const leaves = partnerApiOperations.flatMap((op) =>
      (['params', 'query', 'body'] as const).flatMap((part) =>
        op[part] ? unsafeLeaves(op[part], `${op.operationId}.${part}`) : [],
      ),
    );
    expect(leaves).toEqual([]);
  });

  it('every tRPC input refuses NUL in each of its strings', () => {
    const procedures = appRouter._def.procedures as unknown as Record<
      string,
      { _def: { inputs: unknown[] } }
    >;
    expect(Object.keys(procedures).length).toBeGreaterThan(10);
    const leaves = Object.entries(procedures).flatMap(([name, p]) =>
      p._def.inputs.flatMap((input) => unsafeLeaves(input, name)),
    );
    expect(leaves).toEqual([]);
  });

  it('the walker notices a bare string', async () => {
    const { z } = await import('zod');
    expect(unsafeLeaves(z.object({ a: z.array(z.string().max(3)) }), 'x')).toEqual(['x.a[]']);
    expect(unsafeLeaves(z.record(z.email(), z.unknown()), 'x')).toEqual(['x[value]']);
    expect(unsafeLeaves(z.url().optional(), 'x')).toEqual(['x']);
  });
});

const hub = useTestHub();
const LONE_SURROGATE = '\ud800';

describe('NUL and lone surrogates answer 400 validation_failed, not 500', () => {
  it('in a REST path parameter', async () => {
    const { partner, token } = await partnerWithChannel(hub);
    const res = await request(hub.app)
      .delete(`/api/v2/partners/${partner.id}/webhook_endpoints/%00`)
      .set(bearer(token));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('in a REST body', async () => {
    const { partner, token } = await partnerWithChannel(hub, 'Body Partner');
    for (const name of ['a\u0000b', `a${LONE_SURROGATE}b`]) {
      const res = await request(hub.app)
        .patch(`/api/v2/partners/${partner.id}`)
        .set(bearer(token))
        .set('content-type', 'application/json')
        // JSON.stringify escapes a lone surrogate as \ud800, as an attacker would send it.
        .send(JSON.stringify({ name }));
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('in a tRPC input', async () => {
    const { token } = await partnerWithChannel(hub, 'tRPC Partner');
    const res = await request(hub.app)
      .get('/trpc/clients.get')
      .query({ input: JSON.stringify({ client_id: '\u0000' }) })
      .set(bearer(token));
    expect(res.status).toBe(400);
    expect(res.body.error.data.error_code).toBe('validation_failed');
  });

  it('in a hosted login form', async () => {
    const { partner, client } = await partnerWithChannel(hub, 'Login Partner');
    await clientUserFactory(hub.em(), client, { email: 'owner@bakery.example' });
    const agent = request.agent(hub.app);
    const page = await agent.get(`/permissions/${partner.id}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const res = await agent
      .post(`/permissions/${partner.id}/login`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&email=owner%00@bakery.example&password=whatever-password`);
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/internal/i);
  });

  it('inbound Meta payloads are still stored as they came', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: `a\u0000b${LONE_SURROGATE}` }],
    });
    const before = await hub.em().count(MetaWebhook, {});
    const res = await request(hub.app)
      .post('/meta/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signMetaBody(hub.deps.meta.appSecret, body))
      .send(body);
    expect(res.status).toBe(200);
    expect(await hub.em().count(MetaWebhook, {})).toBe(before + 1);
  });
});
