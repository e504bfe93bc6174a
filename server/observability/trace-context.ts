import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';

/**
 * The trace that crosses the queue: an inbound request's trace is stored with the events it
 * records (W3C `traceparent`), and the delivery continues it. With tracing off (see
 * tracing.ts) the API is a no-op: nothing is stored and nothing is wrapped.
 */

/** The active trace as a W3C `traceparent`, or null when there is none. */
export function currentTraceParent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

const remote = (traceParent: string) => propagation.extract(ROOT_CONTEXT, { traceparent: traceParent });

/** Runs `fn` as part of the trace `traceParent` names (as is, without it). */
export function withTraceParent<T>(traceParent: string | null | undefined, fn: () => T): T {
  return traceParent ? context.with(remote(traceParent), fn) : fn();
}

/** Runs `fn` in a span continuing the trace `traceParent` names (as is, without it). */
export function inSpanContinuing<T>(
  name: string,
  traceParent: string | null | undefined,
  attributes: Record<string, string | number>,
  fn: () => Promise<T>,
): Promise<T> {
  if (!traceParent) return fn();
  return trace
    .getTracer('partner-hub')
    .startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, remote(traceParent), async (span) => {
      try {
        return await fn();
      } finally {
        span.end();
      }
    });
}
