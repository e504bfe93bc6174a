import { z } from 'zod';
import { idSchema } from '../../../shared/ids.ts';
import { PARTNER_USER_ROLES } from '../../../shared/statuses.ts';
import { EmailField } from '../../modules/clients/email.ts';
import {
  changePartnerUserRole,
  listPartnerUsers,
  removePartnerUser,
} from '../../modules/console-users/console-users.service.ts';
import {
  createInvite,
  listPendingInvites,
  revokeInvite,
} from '../../modules/console-users/invites.service.ts';
import { router } from '../../trpc/trpc.ts';
import { toConsoleUserView } from '../console-user-view.ts';
import { partnerUserProcedure } from '../procedures.ts';

const Role = z.enum(PARTNER_USER_ROLES);
const UserId = z.strictObject({ user_id: idSchema('consoleUser') });

/**
 * The partner's console users and pending invites. Listing is open to every user of the
 * partner; everything else is owner-only (`trpc/principal.ts`). Each acts for `ctx.partner`:
 * an id of another partner's user or invite is simply not found.
 */
export const teamRouter = router({
  list: partnerUserProcedure.query(async ({ ctx }) => {
    const now = ctx.deps.clock.now();
    const [users, invites] = await Promise.all([
      listPartnerUsers(ctx.em, ctx.partner.id),
      listPendingInvites(ctx.em, ctx.partner.id, now),
    ]);
    return {
      users: users.map(toConsoleUserView),
      invites: invites.map((i) => ({
        id: i.id,
        email: i.email,
        role: i.role,
        invited_by: i.invitedBy?.email ?? null,
        expires_at: i.expiresAt.toISOString(),
        created_at: i.createdAt.toISOString(),
      })),
    };
  }),

  /** A one-time link, shown only in this answer: the hub keeps its digest. */
  invite: partnerUserProcedure
    .input(z.strictObject({ email: EmailField, role: Role }))
    .mutation(async ({ ctx, input }) => {
      const { invite, token } = await createInvite(
        ctx.em,
        ctx.deps.clock,
        ctx.partner,
        input,
        ctx.user,
        ctx.actor,
      );
      return {
        id: invite.id,
        email: invite.email,
        role: invite.role,
        expires_at: invite.expiresAt.toISOString(),
        token,
        url: `${ctx.deps.config.publicUrl}/console/invite/${token}`,
      };
    }),

  revokeInvite: partnerUserProcedure
    .input(z.strictObject({ invite_id: idSchema('consoleInvite') }))
    .mutation(async ({ ctx, input }) => {
      await revokeInvite(ctx.em, ctx.deps.clock, ctx.partner, input.invite_id, ctx.actor);
      return { status: 'revoked' as const };
    }),

  changeRole: partnerUserProcedure
    .input(UserId.extend({ role: Role }))
    .mutation(async ({ ctx, input }) =>
      toConsoleUserView(
        await changePartnerUserRole(ctx.em, ctx.partner.id, input.user_id, input.role, ctx.actor),
      ),
    ),

  remove: partnerUserProcedure.input(UserId).mutation(async ({ ctx, input }) => {
    await removePartnerUser(ctx.em, ctx.partner.id, input.user_id, ctx.actor);
    return { status: 'removed' as const };
  }),
});
