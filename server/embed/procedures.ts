import { AppError } from '../errors.ts';
import { spendPartnerBudget } from '../http/budgets.ts';
import type { Actor } from '../modules/audit/actor.ts';
import { publicProcedure } from '../trpc/trpc.ts';
import type { EmbedAccess, EmbedContext } from './context.ts';

/** Procedures served on `/embed/trpc` only; elsewhere they are not found. */
export const embedProcedure = publicProcedure.use(({ ctx, next }) => {
  const access = (ctx as Partial<EmbedContext>).embed;
  if (!access) throw new AppError('not_found', 'This procedure is served on /embed/trpc only');
  return next({ ctx: { embed: access as EmbedAccess } });
});

/**
 * A portal session's call: one client of one partner, nothing else. Counted against the
 * partner's budgets (the portal is part of the partner's product), capped per session.
 * Audit rows name the client acting through the portal session.
 */
export const portalProcedure = embedProcedure.use(async ({ ctx, type, next }) => {
  const session = await ctx.embed.session();
  await spendPartnerBudget(
    ctx.deps.rateLimits,
    { partnerId: session.partner.id, tokenId: session.id },
    type === 'query' ? 'read' : 'write',
    ctx.setHeaders,
  );
  const actor: Actor = { type: 'client_user', id: session.id, ...ctx.request };
  return next({ ctx: { session, actor } });
});
