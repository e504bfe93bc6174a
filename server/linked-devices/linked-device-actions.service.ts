import { type EntityManager, LockMode, type MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';
import type { Actor } from '../modules/audit/actor.ts';
import type { RateLimits } from '../modules/rate-limits/rate-limits.ts';
import { awaitCommand, enqueueCommand } from './commands.ts';
import { LinkedDeviceSession } from './linked-device-session.entity.ts';
import { markLoggedOut, requestLogout } from './sessions.service.ts';

export interface ActionDeps {
  orm: MikroORM;
  clock: Clock;
  rateLimits: RateLimits;
}

const MAX_TEXT = 4096;

/**
 * Sends a text through the session's linked device, via the worker that holds it, and answers
 * with WhatsApp's message id once the device sent it (`session_not_connected` unless CONNECTED;
 * `rate_limited` past LINKED_DEVICE_SEND_PER_MINUTE for the number, counted across the cluster;
 * `linked_device_unavailable` when no worker answered in 15 s: the message was then not sent,
 * and never will be).
 */
export async function sendLinkedDeviceText(
  deps: ActionDeps,
  sessionId: string,
  to: string,
  text: string,
): Promise<{ waMessageId: string; to: string }> {
  if (!text) throw new AppError('validation_failed', 'text must not be empty', { field: 'text' });
  if (text.length > MAX_TEXT)
    throw new AppError('validation_failed', `text must be at most ${MAX_TEXT} characters`, { field: 'text' });
  if (!/^\+?\d{6,20}(@s\.whatsapp\.net)?$/.test(to))
    throw new AppError(
      'validation_failed',
      'to must be a phone number with its country code, or a WhatsApp JID',
      {
        field: 'to',
      },
    );
  const session = await deps.orm.em.fork().findOne(LinkedDeviceSession, { id: sessionId });
  if (!session) throw new AppError('not_found', `No linked-device session ${sessionId}`);
  if (session.status !== 'CONNECTED')
    throw new AppError('session_not_connected', `The session is ${session.status}, not CONNECTED`, {
      status: session.status,
    });
  const budget = await deps.rateLimits.consume(sessionId, 'linked_device_send');
  if (!budget.allowed) {
    throw new AppError(
      'rate_limited',
      `This linked-device number sends at most ${budget.limit} messages a minute; try again in ${budget.resetSeconds} s`,
      { retry_after_seconds: budget.resetSeconds, limit: budget.limit },
    );
  }
  const id = await enqueueCommand(deps.orm.em.fork(), deps.clock, sessionId, 'send_text', { to, text });
  const result = await awaitCommand(deps.orm, deps.clock, id);
  return { waMessageId: String(result.wa_message_id), to: String(result.to) };
}

/** Logs the session out: the owner unlinks the phone; without one, the hub forgets the device. */
export async function logoutLinkedDevice(
  deps: ActionDeps,
  em: EntityManager,
  session: LinkedDeviceSession,
  actor: Actor,
): Promise<void> {
  const { owned } = await requestLogout(em, deps.clock, session, actor);
  if (!owned) return;
  const id = await enqueueCommand(deps.orm.em.fork(), deps.clock, session.id, 'logout', {});
  try {
    await awaitCommand(deps.orm, deps.clock, id);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'linked_device_unavailable') throw err;
    // The owner did not answer: the hub forgets the device now (below); the owner, if it comes
    // back, unlinks it when it sees the session stopped.
  }
  // Whatever the owner managed to write, the caller is answered with a logged-out session.
  await deps.orm.em.fork().transactional(async (tx) => {
    const locked = await tx.findOneOrFail(
      LinkedDeviceSession,
      { id: session.id },
      { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['channel', 'client'] },
    );
    if (locked.status !== 'LOGGED_OUT') await markLoggedOut(tx, deps.clock, locked, 'logged_out');
  });
}

/** A sandbox play, run by the worker holding the session (see sandbox/plays.ts). */
export async function playOnDevice(
  deps: ActionDeps,
  session: LinkedDeviceSession,
  play: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (session.desired !== 'active')
    throw new AppError(
      'conflict',
      `The session is ${session.status} and not running: restart its pairing first`,
      {
        status: session.status,
      },
    );
  const id = await enqueueCommand(deps.orm.em.fork(), deps.clock, session.id, 'play', play);
  return awaitCommand(deps.orm, deps.clock, id);
}
