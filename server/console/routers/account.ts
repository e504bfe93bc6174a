import { z } from 'zod';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import { spendBudget } from '../../http/budgets.ts';
import { changeConsolePassword, renameConsoleUser } from '../../modules/console-users/account.service.ts';
import { NewPasswordField } from '../../modules/console-users/password-rules.ts';
import { confirmTotp, disableTotp, startTotp } from '../../modules/console-users/totp.service.ts';
import { router } from '../../trpc/trpc.ts';
import { toConsoleUserView } from '../console-user-view.ts';
import { signedInProcedure } from '../procedures.ts';

const Code = z.strictObject({
  code: safeString().regex(/^\d{6}$/, 'Enter the 6-digit code from your app'),
});

/**
 * The signed-in user's own account, whatever their role (a viewer too may secure their own
 * sign-in). Password and code checks spend the login budget of the account, so a stolen
 * session cannot be used to guess the password or a code.
 */
export const accountRouter = router({
  rename: signedInProcedure
    .input(z.strictObject({ name: safeString().trim().max(200) }))
    .mutation(async ({ ctx, input }) =>
      toConsoleUserView(await renameConsoleUser(ctx.em, ctx.user, input.name || null, ctx.actor)),
    ),

  changePassword: signedInProcedure
    .input(
      z.strictObject({
        current_password: safeString().min(1, 'Enter your current password').max(200),
        new_password: NewPasswordField,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await spendBudget(ctx.deps.rateLimits, `console-account:${ctx.user.id}`, 'login', ctx.setHeaders);
      const { otherSessionsEnded } = await changeConsolePassword(
        ctx.em,
        ctx.user,
        { current: input.current_password, next: input.new_password },
        ctx.console.req.sessionID,
        ctx.actor,
      );
      return { status: 'changed' as const, other_sessions_ended: otherSessionsEnded };
    }),

  /** A new secret (QR code and text), not yet required: `confirmTotp` turns it on. */
  startTotp: signedInProcedure.mutation(async ({ ctx }) => {
    const enrolment = await startTotp(ctx.em, ctx.deps.secretBox, ctx.user);
    return { secret: enrolment.secret, otpauth_uri: enrolment.otpauthUri, qr_svg: enrolment.qrSvg };
  }),

  confirmTotp: signedInProcedure.input(Code).mutation(async ({ ctx, input }) => {
    await spendBudget(ctx.deps.rateLimits, `console-totp:${ctx.user.id}`, 'login', ctx.setHeaders);
    await confirmTotp(ctx.em, ctx.deps.secretBox, ctx.deps.clock, ctx.user, input.code, ctx.actor);
    return toConsoleUserView(ctx.user);
  }),

  disableTotp: signedInProcedure.input(Code).mutation(async ({ ctx, input }) => {
    await spendBudget(ctx.deps.rateLimits, `console-totp:${ctx.user.id}`, 'login', ctx.setHeaders);
    await disableTotp(ctx.em, ctx.deps.secretBox, ctx.deps.clock, ctx.user, input.code, ctx.actor);
    return toConsoleUserView(ctx.user);
  }),
});
