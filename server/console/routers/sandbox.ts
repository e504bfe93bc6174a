import { z } from 'zod';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import { AppError } from '../../errors.ts';
import { getGrantOf } from '../../modules/channels/channels.service.ts';
import {
  playFieldWebhook,
  reviewSandboxTemplate,
  sandboxTemplateWaba,
  simulateInboundMessage,
} from '../../sandbox/control/actions.ts';
import type { DispatchResult } from '../../sandbox/control/dispatch.ts';
import { normalisePhoneNumber, PHONE_DIGITS } from '../../sandbox/phone-format.ts';
import { sandboxStateOf } from '../../sandbox/state.ts';
import { APP_ONLY_FIELDS, PHONE_FIELDS } from '../../sandbox/webhooks/fields/index.ts';
import { router } from '../../trpc/trpc.ts';
import { partnerUserProcedure } from '../procedures.ts';

/**
 * The console's sandbox tools: what `/sandbox/control` plays (a customer writing, Meta reviewing
 * a template, Meta's other webhooks), for the signed-in partner's own numbers only. Served only
 * while the hub runs its Meta sandbox; elsewhere the procedures are not found. Every tool is a
 * mutation, so a viewer is refused (`trpc/principal.ts`).
 */
const sandboxProcedure = partnerUserProcedure.use(({ ctx, next }) => {
  if (ctx.deps.meta.mode !== 'sandbox')
    throw new AppError('not_found', 'The sandbox tools exist only when the hub runs its Meta sandbox');
  return next({ ctx: { sandbox: sandboxStateOf(ctx.deps) } });
});

const channelId = safeString().max(64);
const upperToken = safeString().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be one of Meta’s upper-case values');

/** What the console shows of a webhook played: never the receiver's URL (an override may be someone else's). */
function outcome(result: DispatchResult) {
  return {
    delivered: result.delivered,
    status: result.status,
    error: result.error ?? null,
    payload: result.payload,
  };
}

export const sandboxRouter = router({
  /** The fields the tools can play; those about one number take the number, the rest its WABA. */
  fields: sandboxProcedure.query(() => ({
    fields: APP_ONLY_FIELDS.map((name) => ({ name, about_number: PHONE_FIELDS.includes(name) })),
  })),

  /** A customer writes to one of the partner's numbers. */
  inboundMessage: sandboxProcedure
    .input(
      z.strictObject({
        channel_id: channelId,
        from: safeString()
          .transform(normalisePhoneNumber)
          .pipe(
            safeString().regex(PHONE_DIGITS, 'must be a phone number with its country code, 8 to 15 digits'),
          ),
        name: safeString().trim().min(1).max(256).default('Sandbox Customer'),
        text: safeString().min(1).max(4096),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { channel } = await getGrantOf(ctx.em, ctx.partner, input.channel_id);
      const result = await simulateInboundMessage(ctx.sandbox, {
        phone_number_id: channel.phoneNumberId,
        from: input.from,
        name: input.name,
        text: input.text,
      });
      return outcome(result);
    }),

  /** Meta decides on one of the templates of a number's WABA. */
  templateStatus: sandboxProcedure
    .input(
      z.strictObject({
        channel_id: channelId,
        template_id: safeString().regex(/^\d{1,20}$/, "must be Meta's numeric template id"),
        status: z.enum(['APPROVED', 'REJECTED', 'PAUSED', 'DISABLED']),
        reason: upperToken.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { channel } = await getGrantOf(ctx.em, ctx.partner, input.channel_id);
      // A template of another WABA is as unknown as a missing one.
      if ((await sandboxTemplateWaba(ctx.sandbox, input.template_id)) !== channel.wabaId)
        throw new AppError('not_found', `No template ${input.template_id} on this number's WABA`);
      const result = await reviewSandboxTemplate(ctx.sandbox, input.template_id, {
        status: input.status,
        reason: input.reason,
      });
      return outcome(result);
    }),

  /**
   * One of Meta's app-level webhook fields about a number (or its WABA). `account_update` is not
   * offered: it acts on the whole WABA (a removal revokes every partner's access to it).
   */
  fieldWebhook: sandboxProcedure
    .input(
      z.strictObject({
        channel_id: channelId,
        field: z.enum(APP_ONLY_FIELDS),
        event: upperToken.optional(),
        limit: z.union([safeString().regex(/^TIER_[A-Z0-9_]{1,20}$/), z.number().int().min(-1)]).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { channel } = await getGrantOf(ctx.em, ctx.partner, input.channel_id);
      const result = await playFieldWebhook(ctx.sandbox, input.field, {
        phone_number_id: channel.phoneNumberId,
        event: input.event,
        limit: input.limit,
      });
      return outcome(result);
    }),
});
