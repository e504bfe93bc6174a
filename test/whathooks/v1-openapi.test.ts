import { Validator } from '@seriousme/openapi-schema-validator';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ChannelKeyVerifier } from '../../server/modules/messaging/channel-key-verifier.ts';
import { whathooksOperations } from '../../server/whathooks/operations.ts';
import { whathooksRouter } from '../../server/whathooks/router.ts';
import { useTestHub } from '../support/hub.ts';

type Layer = { route?: { path: string; methods: Record<string, boolean> } };

describe('/v1/openapi.json: the whathooks-compatible API, documented from the declarations it is served by', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' });

  it('is a valid OpenAPI 3.1 document of exactly the routes the /v1 router mounts, without a key', async () => {
    const res = await request(hub.app).get('/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(doc.servers).toEqual([{ url: '/v1' }]);

    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const stack = (
      whathooksRouter(hub.deps, new ChannelKeyVerifier(hub.deps)) as unknown as { stack: Layer[] }
    ).stack;
    const mounted = stack
      .flatMap((l) =>
        l.route ? Object.keys(l.route.methods).map((m) => `${m.toUpperCase()} ${l.route!.path}`) : [],
      )
      .filter((r) => r !== 'GET /openapi.json')
      .map((r) => r.replaceAll(/:(\w+)/g, '{$1}'));
    expect(documented.sort()).toEqual(mounted.sort());
    expect(documented).toHaveLength(whathooksOperations.length);

    const send = doc.paths['/messages'].post;
    expect(send.responses['201'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/WhathooksMessageSent',
    );
    expect(send.responses['400'].description).toContain('session_not_connected');
    // whathooks has no Idempotency-Key, and neither does the hub's /v1.
    expect(JSON.stringify(doc)).not.toContain('Idempotency-Key');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKeyHeader', 'bearerAuth']);
  });

  it("offers both documents in /docs's menu, the partner API first", async () => {
    const init = await request(hub.app).get('/docs/init.js');
    expect(init.text).toContain(
      'urls: [{"url":"/api/v2/openapi.json","name":"Partner API (/api/v2)"},{"url":"/v1/openapi.json","name":"whathooks-compatible (/v1)"}]',
    );
    const page = await request(hub.app).get('/docs');
    expect(page.text).toContain('/docs/assets/swagger-ui-standalone-preset.js');
    expect((await request(hub.app).get('/docs/assets/swagger-ui-standalone-preset.js')).status).toBe(200);
  });
});
