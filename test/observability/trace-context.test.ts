import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { recordEvent } from '../../server/modules/webhooks/record-events.ts';
import { currentTraceParent, inSpanContinuing } from '../../server/observability/trace-context.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

/** The trace across the queue, in process, with an in-memory exporter. */
describe('trace context carried by events', () => {
  const hub = useTestHub();
  const exporter = new InMemorySpanExporter();

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(
      new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
    );
  });
  afterAll(() => {
    trace.disable();
    propagation.disable();
    context.disable();
  });

  const traceParentOf = async (eventId: string) =>
    (
      await query<{ trace_parent: string | null }>(
        hub.em(),
        'select trace_parent from webhook_events where id = ?',
        [eventId],
      )
    )[0]!.trace_parent;

  it('stores the recording span as the event’s traceparent, and the delivery span continues it', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'Trace SaaS');
    const tracer = trace.getTracer('test');
    const { eventId, request } = await tracer.startActiveSpan('request', async (span) => {
      const recorded = await hub
        .em()
        .transactional((tx) =>
          recordEvent(tx, hub.clock, { partnerId: partner.id, type: 'ping', data: { message: 'traced' } }),
        );
      span.end();
      return { eventId: recorded.id, request: span.spanContext() };
    });
    const stored = await traceParentOf(eventId);
    expect(stored).toBe(`00-${request.traceId}-${request.spanId}-01`);

    await inSpanContinuing('webhook.deliver', stored, { 'webhook.event_id': eventId }, async () => {
      expect(currentTraceParent()).toMatch(new RegExp(`^00-${request.traceId}-`));
    });
    const deliver = exporter.getFinishedSpans().find((s) => s.name === 'webhook.deliver')!;
    expect(deliver.spanContext().traceId).toBe(request.traceId);
    expect(deliver.parentSpanContext?.spanId).toBe(request.spanId);
    expect(deliver.attributes['webhook.event_id']).toBe(eventId);
  });

  it('stores nothing outside a trace, and then wraps nothing', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'Untraced SaaS');
    const recorded = await hub
      .em()
      .transactional((tx) =>
        recordEvent(tx, hub.clock, { partnerId: partner.id, type: 'ping', data: { message: 'plain' } }),
      );
    expect(await traceParentOf(recorded.id)).toBeNull();
    const before = exporter.getFinishedSpans().length;
    expect(await inSpanContinuing('webhook.deliver', null, {}, async () => 'ran')).toBe('ran');
    expect(exporter.getFinishedSpans().length).toBe(before);
  });
});
