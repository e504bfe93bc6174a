import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { signMetaBody } from '../../server/meta/webhook-signature.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { startHub } from '../support/processes.ts';
import { onboardSandboxChannel } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** An OTLP/HTTP collector that keeps what the hub exports (JSON, as the http exporter sends it). */
async function collector() {
  const spans: { scope: string; span: OtlpSpan }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: { scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[];
      };
      for (const rs of body.resourceSpans)
        for (const ss of rs.scopeSpans)
          for (const span of ss.spans) spans.push({ scope: ss.scope.name, span });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    spans,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const message = (wabaId: string, phoneNumberId: string, id: string) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: 'Ana' }, wa_id: '4915112345678' }],
              messages: [
                { from: '4915112345678', id, timestamp: '1764000000', type: 'text', text: { body: 'hi' } },
              ],
            },
          },
        ],
      },
    ],
  });

/**
 * `npm start` with the standard OTEL_* variables exports spans to an OTLP collector: the
 * inbound Meta webhook's HTTP, Express and pg spans, and, after the queue, the delivery and its
 * undici POST in the same trace, whose `traceparent` the receiver gets.
 */
describe('OpenTelemetry tracing', () => {
  const hub = useTestHub({}, { listen: true });
  let receiver: WebhookReceiver;
  let otlp: Awaited<ReturnType<typeof collector>>;
  let channel: { id: string; wabaId: string; phoneNumberId: string };
  let apiKey: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    otlp = await collector();
    const { partner, token } = await partnerFactory(hub.em(), hub.deps, 'Traced SaaS');
    ({ channel } = await onboardSandboxChannel(hub, partner));
    const key = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(token));
    apiKey = key.body.api_key;
    const set = await request(hub.app)
      .post('/waba/v1/configs/webhook')
      .set('D360-API-KEY', apiKey)
      .send({ url: `${receiver.url}/channel` });
    expect(set.status).toBe(200);
    return async () => {
      await receiver.close();
      await otlp.close();
    };
  });

  const post = async (url: string, id: string) => {
    const raw = message(channel.wabaId, channel.phoneNumberId, id);
    const res = await fetch(`${url}/meta/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signMetaBody(hub.deps.meta.appSecret, raw),
      },
      body: raw,
    });
    expect(res.status).toBe(200);
  };

  /** `npm start` exporting its spans to the collector, flushed every 100 ms. */
  const tracedHub = () =>
    startHub({
      DATABASE_URL: hub.databaseUrl,
      HUB_SECRET: hub.deps.config.hubSecret!,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlp.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_SERVICE_NAME: 'hub-under-test',
    });

  it('carries the trace from an inbound Meta webhook through the job to the delivery', async () => {
    const running = await tracedHub();
    try {
      await post(running.url, 'wamid.traced');
      const [delivery] = await receiver.waitForRequests(1, 15_000);
      const traceparent = String(delivery!.headers.traceparent ?? '');
      expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      const traceId = traceparent.split('-')[1];

      const deadline = Date.now() + 10_000;
      const inTrace = () => otlp.spans.filter((s) => s.span.traceId === traceId);
      while (Date.now() < deadline && !inTrace().some((s) => s.span.name === 'webhook.deliver'))
        await new Promise((r) => setTimeout(r, 100));
      const scopes = new Set(inTrace().map((s) => s.scope));
      expect([...scopes].sort()).toEqual(
        expect.arrayContaining([
          '@opentelemetry/instrumentation-express',
          '@opentelemetry/instrumentation-http',
          '@opentelemetry/instrumentation-pg',
          '@opentelemetry/instrumentation-undici',
          'partner-hub',
        ]),
      );
      const names = inTrace().map((s) => s.span.name);
      expect(names).toContain('POST /meta/webhook');
      expect(names.some((n) => n.startsWith('pg.query'))).toBe(true);
      // The POST to the receiver is the undici span under the delivery span; its id is the header's.
      const deliver = inTrace().find((s) => s.span.name === 'webhook.deliver')!.span;
      const outgoing = inTrace().find((s) => s.scope === '@opentelemetry/instrumentation-undici')!.span;
      expect(outgoing.parentSpanId).toBe(deliver.spanId);
      expect(traceparent.split('-')[2]).toBe(outgoing.spanId);
    } finally {
      expect(await running.stop()).toBe(0);
    }
  }, 60_000);

  it('traces a send: the Graph call is an undici span under the request’s span', async () => {
    const running = await tracedHub();
    try {
      const res = await fetch(`${running.url}/waba/messages`, {
        method: 'POST',
        headers: { 'D360-API-KEY': apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({
          messaging_product: 'whatsapp',
          to: '4915112345678',
          type: 'text',
          text: { body: 'hi' },
        }),
      });
      expect(res.status).toBe(200);
      const attribute = (span: OtlpSpan, ...keys: string[]) =>
        span.attributes.find((a) => keys.includes(a.key))?.value.stringValue as string | undefined;
      // The send is served before Express: its span is the HTTP server span (kind 2) for the path.
      const sendSpan = () =>
        otlp.spans.find(
          (s) => s.span.kind === 2 && attribute(s.span, 'http.target', 'url.path') === '/waba/messages',
        )?.span;
      const graphCall = (parent: OtlpSpan) =>
        otlp.spans.find(
          (s) =>
            s.scope === '@opentelemetry/instrumentation-undici' &&
            s.span.parentSpanId === parent.spanId &&
            /\/messages$/.test(attribute(s.span, 'url.full', 'url.path') ?? ''),
        )?.span;
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && !(sendSpan() && graphCall(sendSpan()!)))
        await new Promise((r) => setTimeout(r, 100));
      const send = sendSpan();
      expect(send).toBeDefined();
      const graph = graphCall(send!);
      expect(graph).toBeDefined();
      expect(graph!.traceId).toBe(send!.traceId);
    } finally {
      expect(await running.stop()).toBe(0);
    }
  }, 60_000);

  it('is off without OTEL_* variables: nothing exported, no traceparent sent', async () => {
    const before = otlp.spans.length;
    const running = await startHub({ DATABASE_URL: hub.databaseUrl, HUB_SECRET: hub.deps.config.hubSecret! });
    try {
      await post(running.url, 'wamid.untraced');
      const [, delivery] = await receiver.waitForRequests(2, 15_000);
      expect(delivery!.headers.traceparent).toBeUndefined();
    } finally {
      expect(await running.stop()).toBe(0);
    }
    expect(otlp.spans.length).toBe(before);
  }, 60_000);
});
