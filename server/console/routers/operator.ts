import { z } from 'zod';
import { idSchema } from '../../../shared/ids.ts';
import { AuditListQuerySchema } from '../../../shared/schemas/audit.ts';
import { PaginationQuerySchema, UrlInputSchema } from '../../../shared/schemas/common.ts';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import { searchAuditEntries, toOperatorAuditEntryView } from '../../modules/audit/audit-read.service.ts';
import { setPartnerSuspended } from '../../modules/partners/partner-suspension.service.ts';
import { partnerViewOf } from '../../modules/partners/partner-view.ts';
import { createPartner, getPartner, listPartnersPage } from '../../modules/partners/partners.service.ts';
import { systemHealth } from '../../modules/system-health/system-health.service.ts';
import { router } from '../../trpc/trpc.ts';
import { operatorProcedure } from '../procedures.ts';

const PartnerIdInput = z.strictObject({ partner_id: idSchema('partner') });

const partnersRouter = router({
  /** Every partner, newest first; `search` matches the name anywhere, case-insensitively. */
  list: operatorProcedure
    .input(PaginationQuerySchema.extend({ search: safeString().trim().max(200).optional() }).strict())
    .query(async ({ ctx, input }) => {
      const page = await listPartnersPage(ctx.em, input);
      return { partners: page.items.map(partnerViewOf), next_cursor: page.nextCursor };
    }),

  /** A new partner; its first token and webhook secret are in this answer only. */
  create: operatorProcedure
    .input(
      z.strictObject({
        name: safeString().trim().min(1).max(200),
        redirect_url: UrlInputSchema.optional(),
        webhook_url: UrlInputSchema.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const created = await createPartner(
        ctx.em,
        ctx.deps,
        { name: input.name, redirectUrl: input.redirect_url, webhookUrl: input.webhook_url },
        ctx.actor,
      );
      const partner = await getPartner(ctx.em.fork(), created.partner.id);
      return { partner: partnerViewOf(partner), token: created.token, webhook_secret: created.webhookSecret };
    }),

  /** Refuses the partner's tokens and console users (`partner_suspended`) until unsuspended. */
  suspend: operatorProcedure.input(PartnerIdInput).mutation(async ({ ctx, input }) => {
    await setPartnerSuspended(ctx.em, ctx.deps.clock, input.partner_id, true, ctx.actor);
    return partnerViewOf(await getPartner(ctx.em.fork(), input.partner_id));
  }),

  unsuspend: operatorProcedure.input(PartnerIdInput).mutation(async ({ ctx, input }) => {
    await setPartnerSuspended(ctx.em, ctx.deps.clock, input.partner_id, false, ctx.actor);
    return partnerViewOf(await getPartner(ctx.em.fork(), input.partner_id));
  }),
});

export const operatorRouter = router({
  partners: partnersRouter,

  /** Readiness, queue, deliveries and workers: the figures of `/readyz` and `/metrics`. */
  health: operatorProcedure.query(({ ctx }) => systemHealth(ctx.deps, () => ctx.em.fork())),

  audit: router({
    /** The audit log of every partner (or one: `partner_id`), newest first. */
    search: operatorProcedure
      .input(AuditListQuerySchema.extend({ partner_id: idSchema('partner').optional() }).strict())
      .query(async ({ ctx, input }) => {
        const page = await searchAuditEntries(ctx.em, input);
        return { entries: page.items.map(toOperatorAuditEntryView), next_cursor: page.nextCursor };
      }),
  }),
});
