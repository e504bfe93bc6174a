import { pino } from 'pino';
import type { LogLevel } from './config/env.ts';

export type Logger = pino.Logger;

/**
 * JSON logs to stdout for servers; the CLI passes `destination: 2` so its stdout stays
 * clean for `--json` output. Secrets that could reach a log line are redacted by path.
 */
export function createLogger(level: LogLevel, options: { destination?: 1 | 2 } = {}): Logger {
  return pino(
    {
      level,
      base: { service: 'partner-hub' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'req.headers["d360-api-key"]',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: options.destination ?? 1, sync: false }),
  );
}
