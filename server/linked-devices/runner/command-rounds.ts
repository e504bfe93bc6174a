import type { PgNotifications } from '../../db/pg-notifications.ts';
import { completeCommand, sessionsWithCommands, takeCommands } from '../commands.ts';
import { type CommandTarget, runCommand, withDeadline } from './command-runner.ts';
import type { RunnerDeps } from './runner-context.ts';

/** What the rounds need from the runner that holds the sessions. */
export interface CommandRoundsHost {
  deps: RunnerDeps;
  commandTimeoutMs: number;
  /** The sessions held here right now. */
  held(): Iterable<string>;
  isHeld(sessionId: string): boolean;
  stopping(): boolean;
  /** Work `stop()` must let finish. */
  track<T>(work: Promise<T>): Promise<T>;
  target(sessionId: string): CommandTarget;
}

/**
 * Starts the open commands of the sessions a runner holds: on its poll, and at once when a
 * command is queued for one of them (LINKED_DEVICE_COMMANDS_CHANNEL). One session's commands in
 * order, sessions independently, no transaction held while a command runs, so a session whose
 * socket hangs holds up only itself (each command is bounded by `commandTimeoutMs`).
 */
export class CommandRounds {
  readonly #host: CommandRoundsHost;
  #busy = false;
  /** A round was asked for while one ran: another follows it. */
  #again = false;
  /** Sessions whose commands are being run. */
  readonly #running = new Set<string>();
  /** Sessions notified of a command while their commands were running: they look again after. */
  readonly #notifiedWhileRunning = new Set<string>();
  #unlisten: (() => void) | undefined;

  constructor(host: CommandRoundsHost) {
    this.#host = host;
  }

  listen(notifications: PgNotifications): void {
    this.#unlisten = notifications.onAny((sessionId) => {
      if (!this.#host.isHeld(sessionId)) return;
      if (this.#running.has(sessionId)) this.#notifiedWhileRunning.add(sessionId);
      else void this.#host.track(this.tick());
    });
  }

  unlisten(): void {
    this.#unlisten?.();
  }

  async tick(): Promise<void> {
    const host = this.#host;
    if (host.stopping()) return;
    if (this.#busy) {
      this.#again = true;
      return;
    }
    this.#busy = true;
    this.#again = false;
    try {
      const idle = [...host.held()].filter((id) => !this.#running.has(id));
      if (idle.length > 0) {
        for (const id of await sessionsWithCommands(host.deps.orm.em.fork(), host.deps.clock, idle)) {
          this.#running.add(id);
          void host.track(
            this.#run(id).finally(() => {
              this.#running.delete(id);
              if (this.#notifiedWhileRunning.delete(id)) void host.track(this.tick());
            }),
          );
        }
      }
    } catch (err) {
      host.deps.logger.warn({ err }, 'linked-device command round failed; retrying');
    } finally {
      this.#busy = false;
    }
    if (this.#again) void host.track(this.tick());
  }

  async #run(sessionId: string): Promise<void> {
    const { orm, clock, logger } = this.#host.deps;
    try {
      for (const command of await takeCommands(orm.em.fork(), clock, sessionId)) {
        const outcome = await withDeadline(
          runCommand(this.#host.target(sessionId), command),
          this.#host.commandTimeoutMs,
        );
        await completeCommand(orm.em.fork(), clock, command.id, outcome);
      }
    } catch (err) {
      logger.warn({ err, linkedDeviceSession: sessionId }, 'linked-device commands failed');
    }
  }
}
