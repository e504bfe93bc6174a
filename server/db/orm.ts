import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { CallbackQueryClient } from './callback-query-client.ts';
import { releaseDeadConnections } from './dead-connections.ts';
import { entities } from './entities.ts';
import { applySessionSettings } from './session-settings.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

export interface OrmOptions {
  poolMax?: number;
  /** Handed the node-postgres pool under the ORM once it exists (the metrics watch it). */
  onPoolCreated?: (pool: pg.Pool) => void;
}

export function ormConfig(databaseUrl: string, options: OrmOptions = {}) {
  return defineConfig({
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    pool: { min: 0, max: options.poolMax ?? 10 },
    driverOptions: {
      application_name: 'partner-hub',
      Client: CallbackQueryClient,
      onPoolCreated: (pool: pg.Pool) => {
        releaseDeadConnections(pool);
        applySessionSettings(pool);
        options.onPoolCreated?.(pool);
      },
    },
    // Entities are plain data here: requests must not lazily query behind our back.
    forceUndefined: false,
    // With it on, hydrating an entity gives each instance its own getter/setter closures per
    // property, so every loaded row makes new hidden classes, which V8 allocates in old space:
    // a list of 21 tokens put 23 KB per request there (69 MB per 3,000 finds; 7.5 MB without),
    // collected only by a full mark-compact, whose growth phase made the list tails (issue 14).
    // It only serves entities built with `new` (ours come from em.create, which keeps
    // propagation per instance through shared accessors).
    propagationOnPrototype: false,
    // graphile-worker owns its schema, rate-limiter-flexible and connect-pg-simple their tables
    // (created by our migrations, shaped by the libraries), and the Meta sandbox its schema of
    // hand-written tables: entity diffs must not touch them.
    schemaGenerator: {
      ignoreSchema: ['graphile_worker', 'sandbox'],
      skipTables: ['rate_limits', 'client_sessions'],
    },
    migrations: {
      path: MIGRATIONS_DIR,
      glob: '!(*.d).ts',
      emit: 'ts',
      tableName: 'mikro_orm_migrations',
      transactional: true,
      silent: true,
      allOrNothing: true,
      snapshot: true,
      snapshotOnMigrate: false,
      snapshotName: '.snapshot-partner-hub',
      fileName: (timestamp, name) => `Migration${timestamp}${name ? `_${name}` : ''}`,
    },
  });
}

/** A new ORM per call: the app, each worker process and each test database get their own. */
export async function createOrm(databaseUrl: string, options?: OrmOptions): Promise<MikroORM> {
  return MikroORM.init(ormConfig(databaseUrl, options));
}
