import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { ErrorCode } from '../../shared/errors.ts';
import type { Clock } from '../clock.ts';
import { query, run } from '../db/sql.ts';
import { AppError } from '../errors.ts';
import type { LinkedDeviceCommandKind } from './linked-device-command.entity.ts';

/** How long an asker waits for the owning worker; the owner never runs a command older than this. */
export const COMMAND_TTL_MS = 15_000;
const POLL_MS = 50;
/** A started command not finished in this long lost its owner (the owner's run deadline is 10 s). */
const ABANDONED_AFTER_MS = 30_000;

export interface OpenCommand {
  id: number;
  session_id: string;
  kind: LinkedDeviceCommandKind;
  payload: Record<string, unknown> | null;
}

/** Notified with the session's id when a command is queued for it (a hint: runners also poll). */
export const LINKED_DEVICE_COMMANDS_CHANNEL = 'linked_device_commands';

/** Queues work for the session's owner (committed with the caller's transaction, if any). */
export async function enqueueCommand(
  em: EntityManager,
  clock: Clock,
  sessionId: string,
  kind: LinkedDeviceCommandKind,
  payload: Record<string, unknown>,
  ttlMs = COMMAND_TTL_MS,
): Promise<number> {
  const now = clock.now();
  // The owner's runner hears of it at our commit (LINKED_DEVICE_COMMANDS_CHANNEL), not at its next poll.
  const [row] = await query<{ id: string }>(
    em,
    `with queued as (
       insert into linked_device_commands (session_id, kind, payload, created_at, expires_at)
       values (?, ?, ?::jsonb, ?, ?) returning id, session_id)
     select id, pg_notify('${LINKED_DEVICE_COMMANDS_CHANNEL}', session_id) from queued`,
    [sessionId, kind, JSON.stringify(payload), now, new Date(now.getTime() + ttlMs)],
  );
  return Number(row!.id);
}

/**
 * Waits for the owner's answer. A command nobody took before it expired is closed here as
 * `linked_device_unavailable` (in the same statement that checks it, so the owner cannot take it
 * afterwards), and its error thrown; an error the owner recorded is thrown as the AppError it was.
 */
export async function awaitCommand(
  orm: MikroORM,
  clock: Clock,
  id: number,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  for (;;) {
    const em = orm.em.fork();
    const [row] = await query<Answer & { expired: boolean }>(
      em,
      `select done_at is not null as done, expires_at <= ? as expired, result, error_code, error_message
         from linked_device_commands where id = ?`,
      [clock.now(), id],
    );
    if (!row) throw new AppError('not_found', 'The command is gone');
    if (row.done) return answerOf(row);
    if (row.expired) {
      // Closed here unless the owner is running it (then it answers within its run deadline;
      // started long ago means its owner died: closed too).
      const [closed] = await query<Answer>(
        em,
        `update linked_device_commands
            set done_at = ?, payload = null, error_code = 'linked_device_unavailable'
          where id = ? and done_at is null and (started_at is null or started_at < ?)
          returning true as done, result, error_code, error_message`,
        [clock.now(), id, new Date(clock.now().getTime() - ABANDONED_AFTER_MS)],
      );
      if (closed) return answerOf(closed);
    }
    if (signal?.aborted) throw new AppError('linked_device_unavailable', 'The request was abandoned');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

interface Answer {
  done: boolean;
  result: Record<string, unknown> | null;
  error_code: string | null;
  error_message: string | null;
}

function answerOf(row: Answer): Record<string, unknown> {
  if (!row.error_code) return row.result ?? {};
  throw new AppError(
    row.error_code as ErrorCode,
    row.error_message ?? 'No worker holding this session answered in time; try again shortly',
  );
}

/**
 * The owner's side: marks the open, unexpired commands of one session started (one short
 * statement, oldest first; `skip locked` so two rounds never take one twice) and returns them.
 */
export function takeCommands(em: EntityManager, clock: Clock, sessionId: string): Promise<OpenCommand[]> {
  return query<OpenCommand>(
    em,
    `update linked_device_commands set started_at = ?
      where id in (select id from linked_device_commands
                    where done_at is null and started_at is null and expires_at > ? and session_id = ?
                    order by id limit 100 for update skip locked)
      returning id::int, session_id, kind, payload`,
    [clock.now(), clock.now(), sessionId],
  ).then((rows) => rows.sort((x, y) => x.id - y.id));
}

/** Which of these sessions have open, unexpired commands: one cheap read per round, no lock. */
export async function sessionsWithCommands(
  em: EntityManager,
  clock: Clock,
  sessionIds: string[],
): Promise<string[]> {
  if (sessionIds.length === 0) return [];
  const rows = await query<{ session_id: string }>(
    em,
    `select distinct session_id from linked_device_commands
      where done_at is null and started_at is null and expires_at > ? and session_id in (?)`,
    [clock.now(), sessionIds],
  );
  return rows.map((r) => r.session_id);
}

/** Records the outcome and clears the payload (a message's text is not kept). */
export async function completeCommand(
  em: EntityManager,
  clock: Clock,
  id: number,
  outcome: { result: Record<string, unknown> } | { error: AppError },
): Promise<void> {
  const failed = 'error' in outcome;
  await run(
    em,
    `update linked_device_commands set done_at = ?, payload = null, result = ?::jsonb, error_code = ?, error_message = ?
      where id = ? and done_at is null`,
    [
      clock.now(),
      failed ? null : JSON.stringify(outcome.result),
      failed ? outcome.error.code : null,
      failed ? outcome.error.message : null,
      id,
    ],
  );
}

/** Done commands older than `before` go (the prune task). */
export function pruneCommands(em: EntityManager, before: Date): Promise<number> {
  return run(em, 'delete from linked_device_commands where done_at < ? or expires_at < ?', [before, before]);
}
