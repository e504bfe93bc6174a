import { register } from 'node:module';

/**
 * OpenTelemetry tracing, off unless the standard variables ask for it: `OTEL_TRACES_EXPORTER`
 * (`otlp` or `console`; `none` keeps it off) or an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), and not
 * `OTEL_SDK_DISABLED=true`. The exporter reads the rest of the `OTEL_*` variables itself
 * (headers, timeout, `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_BSP_*`).
 */
export function tracingWanted(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (exporter) return exporter !== 'none';
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Starts tracing when wanted: HTTP server and client, Express, pg and undici spans, W3C trace
 * context propagation. Must run before anything imports express, pg or http: the
 * instrumentations patch those modules as they load (ESM through import-in-the-middle's
 * hooks, registered here). When tracing is off nothing of OpenTelemetry is loaded at all.
 */
export async function startTracing(env: NodeJS.ProcessEnv, defaultServiceName: string): Promise<void> {
  if (!tracingWanted(env)) return;
  // The loader wraps only the modules an instrumentation hooks (not the hub's own sources).
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const [api, core, asyncHooks, resources, sdk, instrumentation, http, express, pg, undici] =
    await Promise.all([
      import('@opentelemetry/api'),
      import('@opentelemetry/core'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/instrumentation'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-express'),
      import('@opentelemetry/instrumentation-pg'),
      import('@opentelemetry/instrumentation-undici'),
    ]);
  const exporter =
    env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'console'
      ? new sdk.ConsoleSpanExporter()
      : new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
  const provider = new sdk.TracerProvider({
    resource: resources
      .resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || defaultServiceName })
      .merge(resources.detectResources({ detectors: [resources.envDetector] })),
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter })],
  });
  api.context.setGlobalContextManager(new asyncHooks.AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(new core.W3CTraceContextPropagator());
  api.trace.setGlobalTracerProvider(provider);
  instrumentation.registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new http.HttpInstrumentation(),
      new express.ExpressInstrumentation(),
      new pg.PgInstrumentation({ requireParentSpan: true }),
      new undici.UndiciInstrumentation(),
    ],
  });
  await waitForAllMessagesAcknowledged();
  // Spans still buffered go out when the process ends by itself (after a graceful stop).
  process.once('beforeExit', () => void provider.shutdown().catch(() => {}));
}
