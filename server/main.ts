import { ConfigError, parseConfig } from './config/env.ts';
import { createLogger } from './logger.ts';
import { serve } from './process/serve.ts';
import { stopOnSignals } from './process/signals.ts';

let config: ReturnType<typeof parseConfig>;
try {
  config = parseConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

const logger = createLogger(config.logLevel);
try {
  const hub = await serve(config, logger);
  stopOnSignals(() => hub.stop(), logger);
} catch (err) {
  logger.fatal({ err }, 'partner hub failed to start');
  logger.flush();
  process.stderr.write(`Partner Hub failed to start: ${(err as Error).message}\n`);
  process.exit(1);
}
