import { within } from '../../deadline.ts';
import { AppError } from '../../errors.ts';
import type { OpenCommand } from '../commands.ts';
import type { LiveSession } from './live-session.ts';
import { sentStatusPayload } from './meta-shaped.ts';
import { relayPayload } from './relay.ts';
import type { RunnerDeps } from './runner-context.ts';

/** A command the connection does not finish in this long fails (`linked_device_send_failed`). */
export const COMMAND_RUN_MS = 10_000;

export type CommandOutcome = { result: Record<string, unknown> } | { error: AppError };

export interface CommandTarget {
  session: LiveSession | undefined;
  sessionId: string;
  deps: RunnerDeps;
  play: ((sessionId: string, play: unknown) => Promise<Record<string, unknown>>) | undefined;
  logout(): Promise<Record<string, unknown>>;
}

/** Runs one command for a session this worker holds. */
export async function runCommand(target: CommandTarget, command: OpenCommand): Promise<CommandOutcome> {
  switch (command.kind) {
    case 'send_text':
      return { result: await sendText(target, command.payload ?? {}) };
    case 'logout':
      return { result: await target.logout() };
    case 'play':
      if (!target.play) throw new AppError('not_found', 'Sandbox plays exist only in sandbox mode');
      return { result: await target.play(target.sessionId, command.payload) };
  }
}

async function sendText(
  target: CommandTarget,
  payload: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { session } = target;
  if (!session?.connection || session.status !== 'CONNECTED') {
    throw new AppError('session_not_connected', 'The session is not CONNECTED', {
      status: session?.status ?? null,
    });
  }
  const to = String(payload.to ?? '');
  const text = String(payload.text ?? '');
  const sent = await session.connection.sendText(to, text).catch((err: unknown) => {
    if (err instanceof AppError) throw err;
    throw new AppError(
      'linked_device_send_failed',
      `The linked device could not send: ${(err as Error).message}`,
    );
  });
  const digits = to.replace(/@.*$/, '').replace(/\D/g, '');
  const { orm, clock, logger } = target.deps;
  // The `sent` status goes the way Meta's do; a failure to relay it does not unsend the message.
  void relayPayload(
    orm,
    clock,
    target.sessionId,
    sentStatusPayload(
      { sessionId: target.sessionId, phoneNumber: session.phoneNumber },
      { waMessageId: sent.waMessageId, to: digits, at: clock.now() },
    ),
    false,
  ).catch((err) => logger.warn({ err }, 'could not relay a linked-device sent status'));
  return { wa_message_id: sent.waMessageId, to: digits };
}

/** The command's outcome, or a failure when it does not settle in `ms` (a hung socket). */
export function withDeadline(running: Promise<CommandOutcome>, ms: number): Promise<CommandOutcome> {
  const settled = running.catch(
    (err: unknown): CommandOutcome => ({
      error:
        err instanceof AppError ? err : new AppError('linked_device_send_failed', (err as Error).message),
    }),
  );
  return within(settled, ms, () => ({
    error: new AppError('linked_device_send_failed', `The linked device did not answer in ${ms / 1000} s`),
  }));
}
