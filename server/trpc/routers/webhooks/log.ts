import { z } from 'zod';
import { safeString } from '../../../../shared/schemas/safe-text.ts';
import {
  RecoverResultSchema,
  RecoverSchema,
  ResendResultSchema,
  WebhookAttemptListQuerySchema,
  WebhookAttemptListSchema,
  WebhookDeliveryListQuerySchema,
  WebhookDeliveryPageSchema,
  WebhookEventListQuerySchema,
  WebhookEventPageSchema,
  WebhookEventViewSchema,
} from '../../../../shared/schemas/webhooks.ts';
import { deliveryContextFrom } from '../../../modules/webhooks/delivery/deliver-destination.ts';
import {
  getEventOf,
  listAttemptsOf,
  listDeliveriesOf,
  listEventsOf,
  recoverDeliveries,
  resendDelivery,
} from '../../../modules/webhooks/event-log.service.ts';
import { toAttemptView, toDeliveryView, toEventView } from '../../../modules/webhooks/webhook-views.ts';
import { partnerProcedure, router } from '../../trpc.ts';

const DeliveryId = z.strictObject({ delivery_id: safeString().max(64) });

export const eventsRouter = router({
  list: partnerProcedure
    .input(
      WebhookEventListQuerySchema.optional().transform((q) => WebhookEventListQuerySchema.parse(q ?? {})),
    )
    .output(WebhookEventPageSchema)
    .query(async ({ ctx, input }) => {
      const page = await listEventsOf(ctx.em, ctx.partner, input);
      return { events: page.items.map(toEventView), next_cursor: page.nextCursor };
    }),
  get: partnerProcedure
    .input(z.strictObject({ event_id: safeString().max(64) }))
    .output(WebhookEventViewSchema)
    .query(async ({ ctx, input }) => toEventView(await getEventOf(ctx.em, ctx.partner, input.event_id))),
});

export const deliveriesRouter = router({
  list: partnerProcedure
    .input(
      WebhookDeliveryListQuerySchema.optional().transform((q) =>
        WebhookDeliveryListQuerySchema.parse(q ?? {}),
      ),
    )
    .output(WebhookDeliveryPageSchema)
    .query(async ({ ctx, input }) => {
      const page = await listDeliveriesOf(ctx.em, ctx.partner, input);
      return { deliveries: page.items.map(toDeliveryView), next_cursor: page.nextCursor };
    }),
  attempts: partnerProcedure
    .input(WebhookAttemptListQuerySchema.extend(DeliveryId.shape))
    .output(WebhookAttemptListSchema)
    .query(async ({ ctx, input }) => {
      const { delivery_id, ...query } = input;
      const page = await listAttemptsOf(ctx.em, ctx.partner, delivery_id, query);
      return { attempts: page.items.map(toAttemptView), next_cursor: page.nextCursor };
    }),
  resend: partnerProcedure
    .input(DeliveryId)
    .output(ResendResultSchema)
    .mutation(async ({ ctx, input }) => {
      const { delivery, attempt } = await resendDelivery(
        deliveryContextFrom(ctx.em, ctx.deps),
        ctx.partner,
        input.delivery_id,
        ctx.actor,
        ctx.deps.config.webhooks.maxManualResends,
      );
      return { delivery: toDeliveryView(delivery), attempt: attempt ? toAttemptView(attempt) : null };
    }),
  recover: partnerProcedure
    .input(RecoverSchema)
    .output(RecoverResultSchema)
    .mutation(async ({ ctx, input }) => ({
      recovered: await recoverDeliveries(ctx.em, ctx.deps.clock, ctx.partner, input, ctx.actor),
    })),
});
