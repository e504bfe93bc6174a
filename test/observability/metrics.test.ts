import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { parseConfig } from '../../server/config/env.ts';
import { query, run } from '../../server/db/sql.ts';
import { createLogger } from '../../server/logger.ts';
import { GraphClient } from '../../server/meta/graph-client.ts';
import { signMetaBody } from '../../server/meta/webhook-signature.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { type MetricsServer, startMetricsServer } from '../../server/observability/http-metrics.ts';
import { idTimeMs, METRICS_DATABASE_TIMEOUT_MS } from '../../server/observability/metrics.ts';
import { partnerFactory } from '../support/factories.ts';
import { type TestHub, useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { recordPing } from '../support/webhooks.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';

/** One sample's value from the exposition text, or undefined when absent. Labels must match exactly those given. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = (match[2] ?? '')
      .split(/,(?=[a-zA-Z_]+=")/)
      .filter(Boolean)
      .sort()
      .join(',');
    if (got === wanted) return Number(match[3]);
  }
  return undefined;
}

/** Every label value in the exposition text. */
function labelValues(text: string): string[] {
  return [...text.matchAll(/[a-zA-Z_]+="([^"]*)"/g)].map((m) => m[1]!);
}

const scrape = async (hub: TestHub) => {
  const res = await request(hub.app).get('/metrics').set(bearer(TOKEN));
  expect(res.status).toBe(200);
  return res.text;
};

describe('/metrics behind METRICS_TOKEN on the main app', () => {
  const hub = useTestHub({ METRICS_TOKEN: TOKEN }, { listen: true });
  let receiver: WebhookReceiver;
  let partner: Partner;
  let token: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    ({ partner, token } = await partnerFactory(hub.em(), hub.deps, 'Metrics SaaS', {
      webhookUrl: `${receiver.url}/hooks`,
    }));
  });
  afterAll(() => receiver.close());

  it('refuses a scrape without the bearer token, or with a wrong one', async () => {
    const none = await request(hub.app).get('/metrics');
    expect([none.status, none.body.error.code]).toEqual([401, 'unauthorized']);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    const wrong = await request(hub.app)
      .get('/metrics')
      .set(bearer(`${TOKEN}x`));
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('partner_hub_');
  });

  it('serves the Prometheus text format with process metrics, pool usage and database gauges', async () => {
    const res = await request(hub.app).get('/metrics').set(bearer(TOKEN));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(sample(res.text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(res.text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(sample(res.text, 'partner_hub_metrics_database_up')).toBe(1);
    for (const pool of ['orm', 'aux'])
      for (const state of ['used', 'idle', 'waiting'])
        expect(sample(res.text, 'partner_hub_db_pool_connections', { pool, state })).toBeGreaterThanOrEqual(
          0,
        );
    // The scrape itself used an ORM connection, now back in the pool.
    expect(
      sample(res.text, 'partner_hub_db_pool_connections', { pool: 'orm', state: 'idle' }),
    ).toBeGreaterThan(0);
  });

  it('times a REST call under its route pattern and status, with no id in any label', async () => {
    const labels = { method: 'GET', route: '/api/v2/partners/:partner_id', status: '200' };
    const before = sample(await scrape(hub), 'partner_hub_http_request_duration_seconds_count', labels) ?? 0;
    const res = await request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(token));
    expect(res.status).toBe(200);
    await request(hub.app).get(`/api/v2/partners/${partner.id}/no/such/route`).set(bearer(token));
    await request(hub.app).get(`/api/v2/partners/${partner.id}`);
    await request(hub.app).get(`/nothing/here/${partner.id}`);
    const text = await scrape(hub);
    expect(sample(text, 'partner_hub_http_request_duration_seconds_count', labels)).toBe(before + 1);
    // 401 before any route matched: the mount's label. Unknown paths: one label for all.
    expect(
      sample(text, 'partner_hub_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v2/*',
        status: '401',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'partner_hub_http_request_duration_seconds_count', {
        method: 'GET',
        route: '(unmatched)',
        status: '404',
      }),
    ).toBeGreaterThanOrEqual(1);
    const values = labelValues(text);
    expect(values.filter((v) => v.includes(partner.id) || /_[0-9a-z]{26}/.test(v))).toEqual([]);
    expect(values.filter((v) => v.includes('/nothing'))).toEqual([]);
  });

  it('labels an error raised inside a route with the full pattern, though Express restores baseUrl on the way out', async () => {
    const labels = { method: 'GET', route: '/api/v2/partners/:partner_id/clients/:client_id', status: '404' };
    const before = sample(await scrape(hub), 'partner_hub_http_request_duration_seconds_count', labels) ?? 0;
    const res = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/clients/cli_01aaaaaaaaaaaaaaaaaaaaaaaa`)
      .set(bearer(token));
    expect(res.status).toBe(404);
    expect(sample(await scrape(hub), 'partner_hub_http_request_duration_seconds_count', labels)).toBe(
      before + 1,
    );
  });

  it('counts a delivered webhook by outcome, its event→delivery lag, and the backlog and job gauges before it', async () => {
    const before = await scrape(hub);
    const delivered = { outcome: 'succeeded', trigger: 'scheduled' };
    const deliveredBefore = sample(before, 'partner_hub_webhook_deliveries_total', delivered) ?? 0;
    const lagBefore = sample(before, 'partner_hub_webhook_delivery_lag_seconds_count') ?? 0;

    hub.clock.set(new Date());
    const event = await recordPing(hub.em(), hub.clock, partner, 'metrics');
    expect(idTimeMs(event.id)).toBeGreaterThan(Date.now() - 60_000);
    const waiting = await scrape(hub);
    expect(sample(waiting, 'partner_hub_webhook_backlog', { state: 'due' })).toBeGreaterThanOrEqual(1);
    expect(sample(waiting, 'partner_hub_jobs', { state: 'due' })).toBeGreaterThanOrEqual(1);
    expect(sample(waiting, 'partner_hub_jobs_oldest_due_seconds')).toBeGreaterThanOrEqual(0);

    await hub.drainJobs();
    await receiver.waitForRequests(1);
    const after = await scrape(hub);
    expect(sample(after, 'partner_hub_webhook_deliveries_total', delivered)).toBe(deliveredBefore + 1);
    expect(sample(after, 'partner_hub_webhook_delivery_lag_seconds_count')).toBe(lagBefore + 1);
    expect(sample(after, 'partner_hub_webhook_delivery_lag_seconds_sum')).toBeGreaterThanOrEqual(0);
    expect(sample(after, 'partner_hub_webhook_backlog', { state: 'due' })).toBe(0);
    expect(sample(after, 'partner_hub_jobs', { state: 'due' })).toBe(0);
  });

  it('counts a failed attempt as retrying and reports the destination as failing', async () => {
    receiver.requests.length = 0;
    receiver.otherwiseRespond({ status: 500, body: 'down' });
    try {
      const retrying = { outcome: 'retrying', trigger: 'scheduled' };
      const before = sample(await scrape(hub), 'partner_hub_webhook_deliveries_total', retrying) ?? 0;
      hub.clock.set(new Date());
      await recordPing(hub.em(), hub.clock, partner, 'will fail');
      await hub.drainJobs();
      const text = await scrape(hub);
      expect(sample(text, 'partner_hub_webhook_deliveries_total', retrying)).toBe(before + 1);
      expect(sample(text, 'partner_hub_webhook_destinations', { state: 'failing' })).toBe(1);
      expect(sample(text, 'partner_hub_webhook_destinations', { state: 'disabled' })).toBe(0);
      expect(sample(text, 'partner_hub_webhook_backlog', { state: 'scheduled' })).toBeGreaterThanOrEqual(1);
    } finally {
      receiver.otherwiseRespond({ status: 200, body: 'ok' });
      await query(hub.em(), "update webhook_deliveries set status = 'failed' where status = 'pending'");
    }
  });

  it('counts inbound Meta webhooks relayed and rejected', async () => {
    const before = await scrape(hub);
    const raw = JSON.stringify({ object: 'whatsapp_business_account', entry: [] });
    const ok = await request(hub.app)
      .post('/meta/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signMetaBody(hub.deps.meta.appSecret, raw))
      .send(raw);
    expect(ok.status).toBe(200);
    const forged = await request(hub.app)
      .post('/meta/webhook')
      .set('content-type', 'application/json')
      .send(raw);
    expect(forged.status).toBe(401);
    const after = await scrape(hub);
    for (const result of ['relayed', 'rejected'])
      expect(sample(after, 'partner_hub_inbound_meta_webhooks_total', { result })).toBe(
        (sample(before, 'partner_hub_inbound_meta_webhooks_total', { result }) ?? 0) + 1,
      );
  });

  it('times Graph API calls by operation (the sandbox Graph during an onboarding)', async () => {
    const ok = { operation: 'exchange_code', outcome: 'ok' };
    const before = sample(await scrape(hub), 'partner_hub_graph_request_duration_seconds_count', ok) ?? 0;
    await onboardSandboxChannel(hub, partner);
    const after = await scrape(hub);
    expect(sample(after, 'partner_hub_graph_request_duration_seconds_count', ok)).toBe(before + 1);
    expect(
      sample(after, 'partner_hub_graph_request_duration_seconds_count', {
        operation: 'subscribe_app',
        outcome: 'ok',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it("counts Graph errors by Meta's code, by HTTP status without one, and unanswered calls as network", async () => {
    const fakeGraph = await WebhookReceiver.start();
    const graph = new GraphClient(
      { ...hub.deps.meta, graphUrl: fakeGraph.url },
      { observe: hub.deps.metrics.graphObserver, retryDelaysMs: [] },
    );
    try {
      fakeGraph.respondWith(
        { status: 400, body: JSON.stringify({ error: { code: 100, message: 'bad parameter' } }) },
        { status: 502, body: 'gateway' },
      );
      await expect(graph.getPhoneNumber('123', 'token')).rejects.toThrow();
      await expect(graph.sendMessageRaw('123', 'token', '{}')).resolves.toMatchObject({ status: 502 });
      await fakeGraph.close();
      await expect(graph.debugToken('token')).rejects.toThrow();
      const text = await scrape(hub);
      expect(
        sample(text, 'partner_hub_graph_errors_total', { operation: 'get_phone_number', code: '100' }),
      ).toBe(1);
      expect(
        sample(text, 'partner_hub_graph_errors_total', { operation: 'send_message', code: 'http_502' }),
      ).toBe(1);
      expect(
        sample(text, 'partner_hub_graph_errors_total', { operation: 'debug_token', code: 'network' }),
      ).toBe(1);
      expect(
        sample(text, 'partner_hub_graph_request_duration_seconds_count', {
          operation: 'get_phone_number',
          outcome: 'error',
        }),
      ).toBe(1);
    } finally {
      await graph.close();
    }
  });

  it('answers within its timeout when the database gauges cannot be read, leaving them out', async () => {
    await hub.em().transactional(async (tx) => {
      // Another transaction holds the table: the gauges' query waits, and gives up after 1 s.
      await run(tx, 'lock table webhook_destinations in access exclusive mode');
      const startedAt = performance.now();
      const text = await scrape(hub);
      expect(performance.now() - startedAt).toBeLessThan(METRICS_DATABASE_TIMEOUT_MS + 1500);
      expect(sample(text, 'partner_hub_metrics_database_up')).toBe(0);
      expect(sample(text, 'partner_hub_webhook_backlog', { state: 'due' })).toBeUndefined();
      expect(sample(text, 'partner_hub_jobs', { state: 'due' })).toBeUndefined();
      // The rest of the scrape is there.
      expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    });
    const text = await scrape(hub);
    expect(sample(text, 'partner_hub_metrics_database_up')).toBe(1);
    expect(sample(text, 'partner_hub_webhook_backlog', { state: 'due' })).toBeGreaterThanOrEqual(0);
  });

  it('keeps each hub’s metrics apart (a registry per hub, not the global one)', async () => {
    const { register } = await import('prom-client');
    expect(await register.getMetricsAsJSON()).toEqual([]);
  });
});

describe('/metrics on METRICS_PORT', () => {
  const hub = useTestHub({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN });
  let open: MetricsServer;
  let tokenless: MetricsServer;

  beforeAll(async () => {
    const logger = createLogger('silent');
    open = await startMetricsServer(hub.deps, logger);
    tokenless = await startMetricsServer(
      {
        ...hub.deps,
        config: { ...hub.deps.config, metrics: { ...hub.deps.config.metrics, token: undefined } },
      },
      logger,
    );
  });
  afterAll(async () => {
    await open?.close();
    await tokenless?.close();
  });

  it('listens on loopback by default and serves only /metrics there, with the token when one is set', async () => {
    expect(open.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const origin = open.url.replace(/\/metrics$/, '');
    expect((await request(origin).get('/metrics')).status).toBe(401);
    const res = await request(origin).get('/metrics').set(bearer(TOKEN));
    expect(res.status).toBe(200);
    expect(sample(res.text, 'partner_hub_metrics_database_up')).toBe(1);
    expect((await request(origin).get('/api/v2/partners')).status).toBe(404);
    expect((await request(origin).post('/metrics')).status).toBe(405);
  });

  it('needs no token when METRICS_TOKEN is unset', async () => {
    const res = await request(tokenless.url.replace(/\/metrics$/, '')).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('partner_hub_http_request_duration_seconds');
  });

  it('is not served by the main app when it has a port of its own, nor when neither is set', async () => {
    expect((await request(hub.app).get('/metrics').set(bearer(TOKEN))).status).toBe(404);
    const unexposed = createApp({
      ...hub.deps,
      config: { ...hub.deps.config, metrics: { port: undefined, host: '127.0.0.1', token: undefined } },
    });
    expect((await request(unexposed).get('/metrics')).status).toBe(404);
  });
});

describe('metrics configuration', () => {
  const base = { NODE_ENV: 'test' };

  it('is off unless METRICS_PORT or METRICS_TOKEN is set; the port listens on loopback unless METRICS_HOST says otherwise', () => {
    expect(parseConfig(base).metrics).toEqual({ port: undefined, host: '127.0.0.1', token: undefined });
    expect(parseConfig({ ...base, METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({
      port: 9464,
      host: '0.0.0.0',
      token: undefined,
    });
    expect(parseConfig({ ...base, METRICS_PORT: '' }).metrics.port).toBeUndefined();
  });

  it('refuses a short token without echoing it, a port clash, and a host without a port', () => {
    expect(() => parseConfig({ ...base, METRICS_TOKEN: 'short-secret' })).toThrow(
      /^Invalid configuration: METRICS_TOKEN must be at least 16 characters$/,
    );
    expect(() => parseConfig({ ...base, PORT: '9000', METRICS_PORT: '9000' })).toThrow(
      /METRICS_PORT must differ/,
    );
    expect(() => parseConfig({ ...base, METRICS_PORT: 'x' })).toThrow(/METRICS_PORT must be a port number/);
    expect(() => parseConfig({ ...base, METRICS_HOST: '0.0.0.0' })).toThrow(
      /METRICS_HOST needs METRICS_PORT/,
    );
  });
});
