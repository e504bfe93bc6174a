import type { MikroORM } from '@mikro-orm/postgresql';
import { Logger, runMigrations as runWorkerMigrations } from 'graphile-worker';

/** graphile-worker logs through its own logger; migrations have nothing worth saying. */
const quiet = new Logger(() => () => {});

/** Applies our pending migrations, then graphile-worker's own schema migrations. */
export async function migrate(orm: MikroORM, databaseUrl: string): Promise<{ applied: string[] }> {
  const applied = await orm.migrator.up();
  await runWorkerMigrations({ connectionString: databaseUrl, logger: quiet });
  return { applied: applied.map((m) => m.name) };
}

export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  return (await orm.migrator.getPending()).map((m) => m.name);
}
