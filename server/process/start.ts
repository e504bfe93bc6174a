/** `npm start` after tracing (see server/main.ts): the configuration, then the hub until a signal. */
import { ConfigError, parseConfig } from '../config/env.ts';
import { createLogger, logFormatFor } from '../logger.ts';
import { serve } from './serve.ts';
import { runUntilSignal } from './signals.ts';

let config: ReturnType<typeof parseConfig>;
try {
  config = parseConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

const logger = createLogger(config.logLevel, { format: logFormatFor(config) });
try {
  await runUntilSignal((signal) => serve(config, logger, { signal }), logger);
} catch (err) {
  logger.fatal({ err }, 'partner hub failed to start');
  logger.flush();
  // One line: driver messages can carry a detail or hint on further lines.
  process.stderr.write(`Partner Hub failed to start: ${(err as Error).message.split('\n')[0]}\n`);
  process.exit(1);
}
