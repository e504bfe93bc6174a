import fc from 'fast-check';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { partnerApiOperations } from '../../server/api/operations/index.ts';
import { signMetaBody } from '../../server/meta/webhook-signature.ts';
import { ERROR_CODES } from '../../shared/errors.ts';
import { channelApiKeyFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer, type PartnerWithChannel, partnerWithChannel } from '../support/scenarios.ts';

const hub = useTestHub({ RATE_LIMIT_READ_PER_MINUTE: '1000000', RATE_LIMIT_WRITE_PER_MINUTE: '1000000' });
const RUNS = 40;

/** Garbage in never means a 500 out: every answer is a success or a 4xx with a known code. */
describe('fuzzing every route', () => {
  let world: PartnerWithChannel & { keyId: string };

  beforeAll(async () => {
    const base = await partnerWithChannel(hub);
    const key = await channelApiKeyFactory(hub.em(), base.partner, base.channel);
    world = { ...base, keyId: key.record.id };
  });

  const pathOf = (template: string) =>
    `/api/v2${template
      .replace(':partner_id', world.partner.id)
      .replace(':client_id', world.client.id)
      .replace(':channel_id', world.channel.id)
      .replace(':key_id', world.keyId)
      .replace(':token_id', 'ptk_fuzz')}`;

  const queryArb = fc.dictionary(
    fc.oneof(
      fc.constantFrom(
        'limit',
        'cursor',
        'status',
        'client_id',
        'phone_number',
        'created_after',
        'external_id',
      ),
      fc.string(),
    ),
    fc.oneof(fc.string(), fc.integer().map(String), fc.constantFrom('', '-1', '1e309', 'null', '[]', '%00')),
    { maxKeys: 4 },
  );

  function expectWellFormed(res: request.Response, label: string) {
    expect(res.status, `${label} -> ${res.status} ${res.text.slice(0, 200)}`).toBeLessThan(500);
    if (res.status >= 400) expect(ERROR_CODES, label).toContain(res.body?.error?.code);
  }

  it.each(partnerApiOperations.map((op) => [op.operationId, op] as const))(
    '%s survives random input',
    async (_id, op) => {
      await fc.assert(
        fc.asyncProperty(
          fc.jsonValue({ maxDepth: 3 }),
          queryArb,
          fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
          async (body, query, idempotencyKey) => {
            let req = request(hub.app)[op.method](pathOf(op.path)).query(query).set(bearer(world.token));
            if (idempotencyKey !== undefined)
              req = req.set('Idempotency-Key', idempotencyKey.replaceAll(/[\r\n]/g, ''));
            if (op.method !== 'get')
              req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
            expectWellFormed(
              await req,
              `${op.method.toUpperCase()} ${op.path} body=${JSON.stringify(body)?.slice(0, 80)}`,
            );
          },
        ),
        { numRuns: RUNS },
      );
    },
  );

  it('survives random input on the messaging API and the Meta webhook relay', async () => {
    const apiKey = (await channelApiKeyFactory(hub.em(), world.partner, world.channel)).key;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/waba/messages', '/waba/v1/configs/webhook', '/waba/health_status', '/meta/webhook'),
        fc.constantFrom('get', 'post', 'delete'),
        fc.oneof(
          fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
          fc.string({ maxLength: 200 }),
        ),
        fc.boolean(),
        async (path, method, raw, signed) => {
          let req = request(hub.app)[method as 'get'](path).set('D360-API-KEY', apiKey);
          if (path === '/meta/webhook' && signed)
            req = req.set('X-Hub-Signature-256', signMetaBody(hub.deps.meta.appSecret, raw));
          expectWellFormed(
            await req.set('Content-Type', 'application/json').send(raw),
            `${method} ${path} ${raw.slice(0, 80)}`,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('survives random paths, methods and raw bodies under /api/v2', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('get', 'post', 'patch', 'delete', 'put'),
        fc.array(
          fc.oneof(
            fc.constantFrom('partners', world.partner.id, 'clients', 'channels', 'api_keys', 'tokens'),
            fc.webSegment(),
          ),
          {
            maxLength: 6,
          },
        ),
        fc.string({ maxLength: 200 }),
        async (method, segments, raw) => {
          const path = `/api/v2/${segments.map(encodeURIComponent).join('/')}`;
          const res = await request(hub.app)
            [method as 'get'](path)
            .set(bearer(world.token))
            .set('Content-Type', 'application/json')
            .send(raw);
          expectWellFormed(res, `${method} ${path}`);
        },
      ),
      { numRuns: 150 },
    );
  });
});
