import type { EntityManager } from '@mikro-orm/postgresql';
import { run } from '../../db/sql.ts';
import { AppError } from '../../errors.ts';
import { SESSION_TABLE } from '../../hosted/session.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { hashPassword, verifyPassword } from '../clients/passwords.ts';
import { ConsoleUser } from './console-user.entity.ts';

export async function renameConsoleUser(
  em: EntityManager,
  user: ConsoleUser,
  name: string | null,
  actor: Actor,
): Promise<ConsoleUser> {
  user.name = name;
  recordAudit(em, actor, {
    partner: user.partner ?? null,
    action: 'console_user.renamed',
    target: { type: 'console_user', id: user.id },
  });
  await em.flush();
  return user;
}

/**
 * A new password, given the current one. Every other session of the user ends with it: a
 * password is changed because it may be known to someone else, who may be signed in already.
 */
export async function changeConsolePassword(
  em: EntityManager,
  user: ConsoleUser,
  input: { current: string; next: string },
  keepSessionId: string,
  actor: Actor,
): Promise<{ otherSessionsEnded: number }> {
  if (!(await verifyPassword(user.passwordHash, input.current)))
    throw new AppError('validation_failed', 'The current password is not right', {
      field: 'current_password',
    });
  const passwordHash = await hashPassword(input.next);
  return em.transactional(async (tx) => {
    const ended = await run(
      tx,
      `delete from ${SESSION_TABLE} where sess ->> 'consoleUserId' = ? and sid <> ?`,
      [user.id, keepSessionId],
    );
    const row = await tx.findOneOrFail(ConsoleUser, user.id);
    row.passwordHash = passwordHash;
    recordAudit(tx, actor, {
      partner: user.partner ?? null,
      action: 'console_user.password_changed',
      target: { type: 'console_user', id: user.id },
      details: { other_sessions_ended: ended },
    });
    return { otherSessionsEnded: ended };
  });
}
