import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { PgNotifications } from '../../db/pg-notifications.ts';
import { within } from '../../deadline.ts';
import type { RunnerConnector } from '../connector-for.ts';
import { LinkedDeviceSession } from '../linked-device-session.entity.ts';
import { PostgresDeviceAuthStore } from '../postgres-auth-store.ts';
import { CommandRounds } from './command-rounds.ts';
import { COMMAND_RUN_MS } from './command-runner.ts';
import { InFlight } from './in-flight.ts';
import { LiveSession } from './live-session.ts';
import type { RunnerContext, RunnerDeps } from './runner-context.ts';
import { claimSessions, releaseLease, renewLeases } from './session-lease.ts';

export interface RunnerSettings {
  leaseMs: number;
  sessionsPerWorker: number;
  probeIntervalMs: number;
  /** How often the sessions this worker holds are checked for commands (sends, logouts, plays). */
  commandPollMs?: number;
  /** How long a probe waits for the server's answer. */
  probeTimeoutMs?: number;
  /** A command the connection does not finish in this long fails (a hung socket). */
  commandTimeoutMs?: number;
}

/**
 * Runs the linked-device sessions this worker holds (docs/linked-devices.md, "Scaling"): claims
 * sessions whose lease is free, renews its leases every third of the lease, checks their commands,
 * probes connected ones, and hands everything back at `stop()` (sockets closed, never unlinked,
 * leases released so another worker takes over at once). A worker that dies simply stops renewing.
 */
export class LinkedDeviceRunner {
  readonly ownerId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly #sessions = new Map<string, LiveSession>();
  readonly #deps: RunnerDeps;
  readonly #connector: RunnerConnector;
  readonly #settings: Required<RunnerSettings>;
  readonly #ctx: RunnerContext;
  readonly #timers: NodeJS.Timeout[] = [];
  #stopping = false;
  #leaseBusy = false;
  #probesBusy = false;
  /** Sessions being stopped. */
  readonly #ending = new Set<string>();
  readonly #inFlight = new InFlight();
  readonly #commands: CommandRounds;
  readonly #notifications: PgNotifications | undefined;

  /**
   * `notifications`: the LINKED_DEVICE_COMMANDS_CHANNEL listener; a command queued for a session
   * held here then starts at once instead of at the next poll (`commandPollMs`, the fallback).
   */
  constructor(
    deps: RunnerDeps,
    connector: RunnerConnector,
    settings: RunnerSettings,
    notifications?: PgNotifications,
  ) {
    this.#notifications = notifications;
    this.#deps = deps;
    this.#connector = connector;
    this.#settings = {
      // With notifications, polling is only the fallback for one lost with the connection.
      commandPollMs: notifications ? 1000 : 200,
      probeTimeoutMs: 10_000,
      commandTimeoutMs: COMMAND_RUN_MS,
      ...settings,
    };
    this.#ctx = {
      ...deps,
      ownerId: this.ownerId,
      connector: connector.connector,
      authStore: (id) =>
        new PostgresDeviceAuthStore({ em: () => deps.orm.em.fork(), secretBox: deps.secretBox }, id),
      lost: (id) => void this.#track(this.#forget(id, false)),
      release: (id) => this.#forget(id, true),
      restart: (id) => this.#restart(id),
      loggedOut: (id) => this.#afterLogout(id),
    };
    this.#commands = new CommandRounds({
      deps,
      commandTimeoutMs: this.#settings.commandTimeoutMs,
      held: () => this.#sessions.keys(),
      isHeld: (id) => this.#sessions.has(id),
      stopping: () => this.#stopping,
      track: (work) => this.#track(work),
      target: (id) => this.#commandTarget(id),
    });
  }

  /** Sessions held right now (tests, metrics). */
  get held(): string[] {
    return [...this.#sessions.keys()];
  }

  start(): void {
    const every = (ms: number, fn: () => Promise<void>) => {
      const timer = setInterval(() => void this.#track(fn()), ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(Math.max(500, Math.floor(this.#settings.leaseMs / 3)), () => this.leaseTick());
    every(this.#settings.commandPollMs, () => this.commandTick());
    every(this.#settings.probeIntervalMs, () => this.probeTick());
    void this.#track(this.leaseTick());
    if (this.#notifications) {
      this.#commands.listen(this.#notifications);
      this.#notifications.start();
    }
  }

  /**
   * Lets the rounds and session work already started finish (a session being opened, a command
   * being run, a lease being written; see InFlight), bounded by the command deadline, then closes
   * every session it holds and releases its leases.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#commands.unlisten();
    await this.#notifications?.close();
    const pending = await this.#inFlight.settle(this.#settings.commandTimeoutMs);
    if (pending > 0) this.#deps.logger.warn({ pending }, 'linked-device work still running at stop');
    const held = [...this.#sessions.values()];
    await Promise.all(held.map((live) => this.#forget(live.id, true)));
    // Their queued writes (a status, a relayed message) end before the hub closes the pool.
    await within(Promise.all(held.map((live) => live.settled())), this.#settings.commandTimeoutMs, () => []);
  }

  #track<T>(work: Promise<T>): Promise<T> {
    return this.#inFlight.track(work);
  }

  /**
   * Renews what it holds (closing what it lost), then claims what it has room for. Nothing slow
   * is awaited here (connecting, unlinking): a socket that hangs must not keep the other leases
   * from being renewed.
   */
  async leaseTick(): Promise<void> {
    if (this.#leaseBusy || this.#stopping) return;
    this.#leaseBusy = true;
    try {
      const em = this.#deps.orm.em.fork();
      const live = [...this.#sessions.values()];
      const kept = await renewLeases(
        em,
        this.ownerId,
        this.#settings.leaseMs,
        live.map((s) => ({ id: s.id, lastActivityAt: s.lastActivityAt })),
      );
      const keptIds = new Set(kept.map((k) => k.id));
      for (const s of live) if (!keptIds.has(s.id)) void this.#track(this.#forget(s.id, false));
      for (const k of kept) {
        // Logged out while no command reached us (it expired): do it now.
        if (k.desired === 'stopped') this.#inBackground(k.id, () => this.#logout(k.id));
        else if (k.desired === 'idle') this.#inBackground(k.id, () => this.#forget(k.id, true));
      }
      const room = this.#settings.sessionsPerWorker - this.#sessions.size;
      const claimed = await claimSessions(em, this.ownerId, this.#settings.leaseMs, room);
      for (const id of claimed) void this.#track(this.#open(id));
    } catch (err) {
      this.#deps.logger.warn({ err }, 'linked-device lease round failed; retrying at the next one');
    } finally {
      this.#leaseBusy = false;
    }
  }

  /** One command round now (the poll's, or a test's). */
  commandTick(): Promise<void> {
    return this.#commands.tick();
  }

  /** Runs slow work for a session once at a time, off the lease round. */
  #inBackground(sessionId: string, work: () => Promise<unknown>): void {
    if (this.#ending.has(sessionId)) return;
    this.#ending.add(sessionId);
    const running = work()
      .catch((err) =>
        this.#deps.logger.warn({ err, linkedDeviceSession: sessionId }, 'linked-device stop failed'),
      )
      .finally(() => this.#ending.delete(sessionId));
    void this.#track(running);
  }

  /** Asks every connected session's server for an answer: "connected" must mean answering. */
  async probeTick(): Promise<void> {
    if (this.#probesBusy || this.#stopping) return;
    this.#probesBusy = true;
    try {
      await Promise.all(
        [...this.#sessions.values()]
          .filter((s) => s.connection && (s.status === 'CONNECTED' || s.status === 'DISCONNECTED'))
          .map(async (s) => {
            const ok = await s.connection!.probe(this.#settings.probeTimeoutMs).catch(() => false);
            if (!s.closed && (s.status === 'CONNECTED' || ok)) s.update({ kind: 'probe', ok });
          }),
      );
    } finally {
      this.#probesBusy = false;
    }
  }

  /** Waits for every session's queued writes (tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.#sessions.values()].map((s) => s.settled()));
  }

  #commandTarget(sessionId: string) {
    return {
      session: this.#sessions.get(sessionId),
      sessionId,
      deps: this.#deps,
      play: this.#connector.play,
      logout: () => this.#logout(sessionId),
    };
  }

  async #open(id: string): Promise<void> {
    const row = await this.#deps.orm.em.fork().findOne(LinkedDeviceSession, { id, ownerId: this.ownerId });
    if (!row) return;
    // Claimed as the worker began to stop: another worker takes it now, not at the lease's end.
    if (this.#stopping) return this.#forget(id, true);
    const live = new LiveSession(this.#ctx, id);
    live.status = row.status;
    live.phoneNumber = row.phoneNumber ?? '';
    this.#sessions.set(id, live);
    try {
      await live.open(row.pairingPhoneNumber ?? null);
    } catch (err) {
      this.#deps.logger.error({ err, linkedDeviceSession: id }, 'could not connect a linked device');
      await this.#forget(id, true);
    }
  }

  async #forget(id: string, release: boolean): Promise<void> {
    const live = this.#sessions.get(id);
    this.#sessions.delete(id);
    await live?.close();
    if (release) await releaseLease(this.#deps.orm.em.fork(), this.ownerId, id).catch(() => {});
  }

  async #restart(id: string): Promise<void> {
    if (this.#stopping) return;
    const live = this.#sessions.get(id);
    this.#sessions.delete(id);
    await live?.close();
    await this.#open(id);
  }

  async #afterLogout(id: string): Promise<void> {
    const row = await this.#deps.orm.em.fork().findOne(LinkedDeviceSession, { id, ownerId: this.ownerId });
    // Unlinked from the phone while the session should run: offer a new QR code at once.
    if (row?.desired === 'active') return this.#restart(id);
    await this.#forget(id, true);
  }

  /** Unlinks the device (or, without a connection, just forgets it) and lets the session go. */
  async #logout(id: string): Promise<Record<string, unknown>> {
    const live = this.#sessions.get(id);
    if (live?.connection && live.status !== 'LOGGED_OUT') {
      await live.connection.logout();
      await live.settled();
    }
    if (this.#sessions.has(id) && live && live.status !== 'LOGGED_OUT') {
      live.update({ kind: 'logged_out', reason: 'logged_out' });
      await live.settled();
    }
    await this.#forget(id, true);
    return { status: 'LOGGED_OUT' };
  }
}
