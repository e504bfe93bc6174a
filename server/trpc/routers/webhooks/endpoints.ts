import { z } from 'zod';
import { safeString } from '../../../../shared/schemas/safe-text.ts';
import {
  SecretRotatedSchema,
  SecretRotateSchema,
  TestSentSchema,
  WebhookEndpointCreatedSchema,
  WebhookEndpointCreateSchema,
  WebhookEndpointListSchema,
  WebhookEndpointUpdateSchema,
  WebhookEndpointViewSchema,
} from '../../../../shared/schemas/webhooks.ts';
import {
  createEndpoint,
  DEFAULT_SECRET_GRACE_SECONDS,
  deleteEndpoint,
  enableEndpoint,
  endpointDepsFrom,
  findEndpointOf,
  listEndpointsOf,
  rotateEndpointSecret,
  sendTestPing,
  updateEndpoint,
} from '../../../modules/webhooks/endpoints.service.ts';
import { toEndpointListView, toEndpointView } from '../../../modules/webhooks/webhook-views.ts';
import { partnerProcedure, router } from '../../trpc.ts';

const EndpointId = z.strictObject({ endpoint_id: safeString().max(64) });

export const endpointsRouter = router({
  list: partnerProcedure
    .output(WebhookEndpointListSchema)
    .query(async ({ ctx }) => toEndpointListView(await listEndpointsOf(ctx.em, ctx.partner))),
  get: partnerProcedure
    .input(EndpointId)
    .output(WebhookEndpointViewSchema)
    .query(async ({ ctx, input }) => {
      return toEndpointView(await findEndpointOf(ctx.em, ctx.partner, input.endpoint_id));
    }),
  create: partnerProcedure
    .input(WebhookEndpointCreateSchema)
    .output(WebhookEndpointCreatedSchema)
    .mutation(async ({ ctx, input }) => {
      const { endpoint, secret } = await createEndpoint(
        ctx.em,
        endpointDepsFrom(ctx.deps),
        ctx.partner,
        input,
        ctx.actor,
      );
      return { ...toEndpointView(endpoint), secret };
    }),
  update: partnerProcedure
    .input(EndpointId.extend(WebhookEndpointUpdateSchema.shape).strict())
    .output(WebhookEndpointViewSchema)
    .mutation(async ({ ctx, input: { endpoint_id, ...changes } }) =>
      toEndpointView(
        await updateEndpoint(
          ctx.em,
          endpointDepsFrom(ctx.deps),
          ctx.partner,
          endpoint_id,
          changes,
          ctx.actor,
        ),
      ),
    ),
  delete: partnerProcedure.input(EndpointId).mutation(async ({ ctx, input }) => {
    await deleteEndpoint(ctx.em, ctx.deps.clock, ctx.partner, input.endpoint_id, ctx.actor);
  }),
  test: partnerProcedure
    .input(EndpointId)
    .output(TestSentSchema)
    .mutation(async ({ ctx, input }) => {
      const { eventId, deliveryId } = await sendTestPing(
        ctx.em,
        ctx.deps.clock,
        ctx.partner,
        input.endpoint_id,
      );
      return { event_id: eventId, delivery_id: deliveryId };
    }),
  rotateSecret: partnerProcedure
    .input(EndpointId.extend(SecretRotateSchema.shape).strict())
    .output(SecretRotatedSchema)
    .mutation(async ({ ctx, input }) => {
      const grace = input.grace_period_seconds ?? DEFAULT_SECRET_GRACE_SECONDS;
      const rotated = await rotateEndpointSecret(
        ctx.em,
        endpointDepsFrom(ctx.deps),
        ctx.partner,
        input.endpoint_id,
        grace,
        ctx.actor,
      );
      return { secret: rotated.secret, previous_secret_expires_at: rotated.previousExpiresAt.toISOString() };
    }),
  enable: partnerProcedure
    .input(EndpointId)
    .output(WebhookEndpointViewSchema)
    .mutation(async ({ ctx, input }) => {
      await enableEndpoint(ctx.em, ctx.partner, input.endpoint_id, ctx.actor);
      return toEndpointView(await findEndpointOf(ctx.em, ctx.partner, input.endpoint_id));
    }),
});
