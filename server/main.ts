import { startTracing } from './observability/tracing.ts';

// First, before anything imports express, pg or http: tracing patches them as they load.
await startTracing(process.env, 'partner-hub');
await import('./process/start.ts');
