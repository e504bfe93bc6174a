import { ConfigError, type HubConfig, parseConfig } from '../config/env.ts';
import { runningServerUrl } from '../config/server-url.ts';
import { migrate, pendingMigrations } from '../db/migrate.ts';
import { AppError } from '../errors.ts';
import { type Hub, openHub } from '../hub.ts';
import { createLogger, type Logger, logFormatFor } from '../logger.ts';

export class CliError extends Error {
  override name = 'CliError';
}

export function cliConfig(
  options: { serving?: boolean } = {},
  source: NodeJS.ProcessEnv = process.env,
): HubConfig {
  // Logs go to stderr and stay quiet unless asked for, so stdout is only the command's result.
  const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn', ...source };
  const config = parseConfig(env);
  // A server decides its own URL; every other command joins the one that runs.
  if (env.PUBLIC_URL || options.serving) return config;
  // Without PUBLIC_URL, the hub serving from this data dir says where it is (sandbox callbacks
  // and the Graph emulator live there), whatever port it got.
  const running = runningServerUrl(config.dataDir);
  return running ? parseConfig({ ...env, PUBLIC_URL: running }) : config;
}

export function cliLogger(config: HubConfig): Logger {
  return createLogger(config.logLevel, { destination: 2, format: logFormatFor(config, 2) });
}

/**
 * Opens the database for one command. By default the schema must be current: with the
 * embedded database (development) pending migrations are applied, as `npm start` would;
 * against DATABASE_URL an operator applies them on purpose with `hub migrate`.
 * Schema commands pass `{ schema: 'as-is' }`.
 */
export async function withHub<T>(
  fn: (hub: Hub) => Promise<T>,
  options: { schema: 'current' | 'as-is' } = { schema: 'current' },
): Promise<T> {
  const config = cliConfig();
  const hub = await openHub(config, cliLogger(config));
  try {
    if (options.schema === 'current') await ensureCurrentSchema(hub);
    return await fn(hub);
  } finally {
    await hub.close();
  }
}

async function ensureCurrentSchema(hub: Hub): Promise<void> {
  if (hub.embedded) {
    await migrate(hub.orm, hub.databaseUrl);
    return;
  }
  const pending = await pendingMigrations(hub.orm);
  if (pending.length > 0) {
    throw new CliError(
      `the database has ${pending.length} pending migration(s); run \`npx partner-hub migrate\` first`,
    );
  }
}

/** Any failure becomes one line on stderr and a non-zero exit; stack traces only with DEBUG=1. */
export function reportFailure(err: unknown): never {
  const known = err instanceof CliError || err instanceof AppError || err instanceof ConfigError;
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`error: ${message.split('\n')[0]}\n`);
  if (!known && process.env.DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
}
