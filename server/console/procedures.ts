import { AppError } from '../errors.ts';
import { spendPartnerBudget } from '../http/budgets.ts';
import type { Actor } from '../modules/audit/actor.ts';
import type { ConsoleUser } from '../modules/console-users/console-user.entity.ts';
import { assertPartnerActive } from '../modules/partners/partner-suspension.service.ts';
import { assertMayCall } from '../trpc/principal.ts';
import { publicProcedure } from '../trpc/trpc.ts';
import type { ConsoleAccess, ConsoleContext } from './context.ts';

/** Procedures served on `/console/trpc` only; elsewhere (`/trpc`, in-process callers) they are not found. */
export const consoleProcedure = publicProcedure.use(({ ctx, next }) => {
  const access = (ctx as Partial<ConsoleContext>).console;
  if (!access) throw new AppError('not_found', 'This procedure is served on /console/trpc only');
  return next({ ctx: { console: access as ConsoleAccess } });
});

export function consoleUserActor(
  user: ConsoleUser,
  ctx: ConsoleContext | { request: ConsoleContext['request'] },
): Actor {
  return { type: user.role === 'operator' ? 'operator' : 'partner_user', id: user.id, ...ctx.request };
}

/** A signed-in console user, counted against their partner's (or the operators') budgets. */
export const signedInProcedure = consoleProcedure.use(async ({ ctx, type, next }) => {
  const user = await ctx.console.user();
  if (!user) throw new AppError('unauthorized', 'Sign in to the console first');
  if (user.partner) assertPartnerActive(user.partner);
  await spendPartnerBudget(
    ctx.deps.rateLimits,
    { partnerId: user.partner?.id ?? 'operators', tokenId: user.id },
    type === 'query' ? 'read' : 'write',
    ctx.setHeaders,
  );
  return next({ ctx: { user, actor: consoleUserActor(user, ctx) } });
});

/** The hub's operators: every partner, health and the audit log. */
export const operatorProcedure = signedInProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'operator') throw new AppError('forbidden', 'Only operators of the hub may do this');
  return next();
});

/** A partner's user, acting for that partner only. */
export const partnerUserProcedure = signedInProcedure.use(({ ctx, type, path, next }) => {
  const { partner, role, id } = ctx.user;
  if (!partner || role === 'operator')
    throw new AppError('forbidden', 'Operators act on the hub, not for a partner');
  assertMayCall({ kind: 'partner_user', id, role }, type, path);
  return next({ ctx: { partner } });
});
