import { isatty } from 'node:tty';
import { pino } from 'pino';
import pretty from 'pino-pretty';
import type { HubConfig, LogLevel } from './config/env.ts';

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** 1 (stdout) for servers; the CLI passes 2 so its stdout stays clean for `--json` output. */
  destination?: 1 | 2;
  /** `json`, `pretty`, or unset: see `logFormatFor`. */
  format?: 'json' | 'pretty';
}

/**
 * JSON lines for machines (production, log shippers, pipes); pino-pretty's readable lines for a
 * person at a terminal. `LOG_FORMAT` overrides.
 */
export function logFormatFor(
  config: Pick<HubConfig, 'logFormat' | 'nodeEnv'>,
  destination: 1 | 2 = 1,
): 'json' | 'pretty' {
  if (config.logFormat) return config.logFormat;
  return config.nodeEnv !== 'production' && isatty(destination) ? 'pretty' : 'json';
}

/** Secrets that could reach a log line are redacted by path. */
export function createLogger(level: LogLevel, options: LoggerOptions = {}): Logger {
  const fd = options.destination ?? 1;
  const settings = {
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
  };
  if (options.format === 'pretty') {
    // In-process (no worker thread): a development convenience, not a production path.
    return pino(
      settings,
      pretty({ destination: fd, sync: true, colorize: isatty(fd), ignore: 'pid,hostname,service' }),
    );
  }
  return pino(settings, pino.destination({ fd, sync: false }));
}
