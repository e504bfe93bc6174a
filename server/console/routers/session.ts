import { z } from 'zod';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import { ensureDemoConsoleUser } from '../../demo/demo-console-users.ts';
import { AppError } from '../../errors.ts';
import { spendLoginBudgets } from '../../hosted/auth-throttle.ts';
import { LoginFormSchema } from '../../hosted/login-form.ts';
import { spendBudget } from '../../http/budgets.ts';
import { recordAudit } from '../../modules/audit/audit.service.ts';
import { ConsoleUser } from '../../modules/console-users/console-user.entity.ts';
import {
  recordConsoleLogin,
  verifyConsolePassword,
} from '../../modules/console-users/console-users.service.ts';
import { checkTotp } from '../../modules/console-users/totp.service.ts';
import { router } from '../../trpc/trpc.ts';
import { toConsoleUserView } from '../console-user-view.ts';
import type { ConsoleContext } from '../context.ts';
import { consoleProcedure, consoleUserActor } from '../procedures.ts';
import { destroy, regenerate, SECOND_FACTOR_WINDOW_MS } from '../session.ts';

const wrongLogin = () => new AppError('unauthorized', 'Wrong email or password.');

/** Signs the session in as `user` (a new session id, so one fixed before login is worthless). */
async function signIn(ctx: ConsoleContext, user: ConsoleUser): Promise<void> {
  await regenerate(ctx.console.req);
  ctx.console.req.session.consoleUserId = user.id;
  recordAudit(ctx.em, consoleUserActor(user, ctx), {
    partner: user.partner ?? null,
    action: 'console_user.signed_in',
    target: { type: 'console_user', id: user.id },
    details: { second_factor: Boolean(user.totpEnabledAt) },
  });
  await recordConsoleLogin(ctx.em, ctx.deps.clock, user);
}

export const sessionRouter = router({
  /** Who is signed in, their partner, and the CSRF token every mutation sends back. */
  get: consoleProcedure.query(async ({ ctx }) => {
    const user = await ctx.console.user();
    const { session } = ctx.console.req;
    const pending =
      !user && session.pendingConsoleUserId !== undefined
        ? ctx.deps.clock.now().getTime() - (session.pendingSince ?? 0) < SECOND_FACTOR_WINDOW_MS
        : false;
    const partner = user?.partner;
    return {
      user: user ? toConsoleUserView(user) : null,
      partner: partner
        ? {
            id: partner.id,
            name: partner.name,
            brand_name: partner.brandName ?? null,
            logo_url: partner.logoUrl ?? null,
          }
        : null,
      second_factor_pending: pending,
      csrf_token: ctx.console.csrfToken(),
      sandbox: ctx.deps.meta.mode === 'sandbox',
    };
  }),

  /** Email and password; throttled like the hosted pages' login. Asks for a TOTP code when enabled. */
  login: consoleProcedure.input(LoginFormSchema).mutation(async ({ ctx, input }) => {
    const { req, res } = ctx.console;
    await spendLoginBudgets(ctx.deps.rateLimits, `console:${input.email}`, req, res);
    await ensureDemoConsoleUser(ctx.deps, input.email);
    const user = await verifyConsolePassword(ctx.em, input.email, input.password);
    if (!user) throw wrongLogin();
    if (user.totpEnabledAt) {
      await regenerate(req);
      req.session.pendingConsoleUserId = user.id;
      req.session.pendingSince = ctx.deps.clock.now().getTime();
      return { status: 'second_factor' as const };
    }
    await signIn(ctx, user);
    return { status: 'signed_in' as const };
  }),

  /** The second step of a login whose password was right: a current TOTP code, used once. */
  verifySecondFactor: consoleProcedure
    .input(z.strictObject({ code: safeString().regex(/^\d{6}$/, 'Enter the 6-digit code from your app') }))
    .mutation(async ({ ctx, input }) => {
      const { req, res } = ctx.console;
      const id = req.session.pendingConsoleUserId;
      const since = req.session.pendingSince ?? 0;
      if (!id || ctx.deps.clock.now().getTime() - since >= SECOND_FACTOR_WINDOW_MS)
        throw new AppError('unauthorized', 'Sign in with your password again');
      await spendBudget(ctx.deps.rateLimits, `console-totp:${id}`, 'login', (h) => res.set(h));
      const user = await ctx.em.findOne(ConsoleUser, { id }, { populate: ['partner'] });
      if (!user?.totpEnabledAt) throw new AppError('unauthorized', 'Sign in with your password again');
      if (!(await checkTotp(ctx.em, ctx.deps.secretBox, ctx.deps.clock, user, input.code)))
        throw new AppError('unauthorized', 'That code is not right: try the current one');
      delete req.session.pendingConsoleUserId;
      delete req.session.pendingSince;
      await signIn(ctx, user);
      return { status: 'signed_in' as const };
    }),

  logout: consoleProcedure.mutation(async ({ ctx }) => {
    if (ctx.console.req.session.consoleUserId || ctx.console.req.session.pendingConsoleUserId)
      await destroy(ctx.console.req);
    ctx.console.res.clearCookie(
      ctx.deps.config.nodeEnv === 'production' ? '__Host-hub.console.sid' : 'hub.console.sid',
      {
        path: '/',
      },
    );
    return { status: 'signed_out' as const };
  }),
});
