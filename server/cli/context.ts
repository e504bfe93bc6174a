import { ConfigError, type HubConfig, parseConfig } from '../config/env.ts';
import { migrate, pendingMigrations } from '../db/migrate.ts';
import { AppError } from '../errors.ts';
import { createLogger, type Logger } from '../logger.ts';
import { openRuntime, type Runtime } from '../runtime.ts';

export class CliError extends Error {
  override name = 'CliError';
}

export function cliConfig(): HubConfig {
  // Logs go to stderr and stay quiet unless asked for, so stdout is only the command's result.
  return parseConfig({ LOG_LEVEL: 'warn', ...process.env });
}

export function cliLogger(config: HubConfig): Logger {
  return createLogger(config.logLevel, { destination: 2 });
}

/**
 * Opens the database for one command. By default the schema must be current: with the
 * embedded database (development) pending migrations are applied, as `npm start` would;
 * against DATABASE_URL an operator applies them on purpose with `hub migrate`.
 * Schema commands pass `{ schema: 'as-is' }`.
 */
export async function withRuntime<T>(
  fn: (runtime: Runtime) => Promise<T>,
  options: { schema: 'current' | 'as-is' } = { schema: 'current' },
): Promise<T> {
  const config = cliConfig();
  const runtime = await openRuntime(config, cliLogger(config));
  try {
    if (options.schema === 'current') await ensureCurrentSchema(runtime);
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

async function ensureCurrentSchema(runtime: Runtime): Promise<void> {
  if (runtime.embedded) {
    await migrate(runtime.orm, runtime.databaseUrl);
    return;
  }
  const pending = await pendingMigrations(runtime.orm);
  if (pending.length > 0) {
    throw new CliError(
      `the database has ${pending.length} pending migration(s); run \`npm run hub -- migrate\` first`,
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
