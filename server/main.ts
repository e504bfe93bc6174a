import './compile-cache.ts';

// Tracing first, before anything imports express, pg or http: it patches them as they load.
const { startTracing } = await import('./observability/tracing.ts');
await startTracing(process.env, 'partner-hub');
await import('./process/start.ts');
