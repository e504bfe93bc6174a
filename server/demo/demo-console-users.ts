import { AppError } from '../errors.ts';
import type { Hub } from '../hub.ts';
import type { Actor } from '../modules/audit/actor.ts';
import { ConsoleUser } from '../modules/console-users/console-user.entity.ts';
import { createConsoleUser } from '../modules/console-users/console-users.service.ts';
import { Partner } from '../modules/partners/partner.entity.ts';
import { ensureDemoPartner } from './demo-partner.ts';

/**
 * The sandbox's console accounts, documented in the README: the demo partner's owner and an
 * operator. Made on the first sign-in attempt with one of these emails, and only while the hub
 * runs its Meta sandbox (a production hub has no demo partner and no known passwords).
 */
export const DEMO_CONSOLE_USERS = [
  { email: 'demo@partner-hub.test', password: 'demo-console-password', role: 'owner' },
  { email: 'operator@partner-hub.test', password: 'demo-operator-password', role: 'operator' },
] as const;

const actor: Actor = { type: 'system', id: 'demo' };

export async function ensureDemoConsoleUser(deps: Hub, email: string): Promise<void> {
  const demo = DEMO_CONSOLE_USERS.find((u) => u.email === email);
  if (!demo || deps.meta.mode !== 'sandbox') return;
  const em = deps.orm.em.fork();
  if (await em.findOne(ConsoleUser, { email: demo.email })) return;
  const partner =
    demo.role === 'operator' ? null : em.getReference(Partner, (await ensureDemoPartner(deps)).id);
  await createConsoleUser(
    em,
    deps.clock,
    { partner, email: demo.email, password: demo.password, role: demo.role },
    actor,
  ).catch(
    // Two first sign-ins at once: the other one made it.
    (err: unknown) => {
      if (!(err instanceof AppError && err.code === 'conflict')) throw err;
    },
  );
}
