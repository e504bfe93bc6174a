import { startTracing } from '../observability/tracing.ts';

// First, before anything imports express, pg or http: tracing patches them as they load
// (`hub worker` and `hub serve` processes are traced like `npm start`).
await startTracing(process.env, 'partner-hub');
await import('./program.ts');
