import '../compile-cache.ts';

// Tracing first, before anything imports express, pg or http: it patches them as they load
// (`hub worker` and `hub serve` processes are traced like `npm start`).
const { startTracing } = await import('../observability/tracing.ts');
await startTracing(process.env, 'partner-hub');
await import('./program.ts');
