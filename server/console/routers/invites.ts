import { z } from 'zod';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import { spendSignupBudget } from '../../hosted/auth-throttle.ts';
import { spendBudget } from '../../http/budgets.ts';
import { recordConsoleLogin } from '../../modules/console-users/console-users.service.ts';
import { acceptInvite, previewInvite } from '../../modules/console-users/invites.service.ts';
import { NewPasswordField } from '../../modules/console-users/password-rules.ts';
import { router } from '../../trpc/trpc.ts';
import { consoleProcedure } from '../procedures.ts';
import { regenerate } from '../session.ts';

/** The link's token as the URL carries it; its shape and checksum are checked by the service. */
const Token = z.strictObject({ token: safeString().min(1).max(100) });

/**
 * The accept page of an invite link (public: the invitee has no account yet). Both calls are
 * throttled per address: looking links up like the login form, accepting (a password hash and
 * a new user) like the hosted sign-up.
 */
export const invitesRouter = router({
  preview: consoleProcedure.input(Token).query(async ({ ctx, input }) => {
    await spendBudget(ctx.deps.rateLimits, ctx.console.req.ip ?? 'unknown', 'login_ip', ctx.setHeaders);
    const { invite, partner } = await previewInvite(ctx.em, ctx.deps.clock, input.token);
    return {
      email: invite.email,
      role: invite.role,
      partner_name: partner.brandName ?? partner.name,
      expires_at: invite.expiresAt.toISOString(),
    };
  }),

  /** Creates the user with the invite's partner, role and address, and signs them in. */
  accept: consoleProcedure
    .input(
      Token.extend({
        name: safeString().trim().min(1, 'Enter your name').max(200),
        password: NewPasswordField,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { req, res } = ctx.console;
      await spendSignupBudget(ctx.deps.rateLimits, req, res);
      const user = await acceptInvite(ctx.em, ctx.deps.clock, input.token, input, ctx.request);
      // A new session id, as at every sign-in: one planted before the link was opened is worthless.
      await regenerate(req);
      req.session.consoleUserId = user.id;
      await recordConsoleLogin(ctx.em, ctx.deps.clock, user);
      return { status: 'signed_in' as const, role: user.role };
    }),
});
