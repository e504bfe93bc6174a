import { z } from 'zod';
import {
  RecoverResultSchema,
  RecoverSchema,
  ResendResultSchema,
  WebhookAttemptListQuerySchema,
  WebhookAttemptListSchema,
  WebhookDeliveryListQuerySchema,
  WebhookDeliveryPageSchema,
  WebhookDeliveryViewSchema,
  WebhookEventListQuerySchema,
  WebhookEventPageSchema,
  WebhookEventViewSchema,
} from '../../../shared/schemas/webhooks.ts';
import {
  getDeliveryOf,
  getEventOf,
  listAttemptsOf,
  listDeliveriesOf,
  listEventsOf,
  recoverDeliveries,
  resendDelivery,
} from '../../modules/webhooks/event-log.service.ts';
import { toAttemptView, toDeliveryView, toEventView } from '../../modules/webhooks/webhook-view.ts';
import { defineOperation } from '../operation.ts';
import { DeliveryPath, EventPath, PartnerPath } from './params.ts';

const TAG = 'Webhook events and deliveries';

/** The event log: `webhooks.events.*` over tRPC. */
export const webhookEventOperations = {
  list: defineOperation({
    operationId: 'listEvents',
    method: 'get',
    path: '/partners/:partner_id/events',
    tag: TAG,
    summary: 'List recorded events, newest first',
    params: PartnerPath,
    query: WebhookEventListQuerySchema,
    response: WebhookEventPageSchema,
    status: 200,
    errors: [],
    handle: async ({ query }, { em, partner }) => {
      const page = await listEventsOf(em, partner, query);
      return { events: page.items.map(toEventView), next_cursor: page.nextCursor };
    },
  }),
  get: defineOperation({
    operationId: 'getEvent',
    method: 'get',
    path: '/partners/:partner_id/events/:event_id',
    tag: TAG,
    summary: 'Get one event',
    params: EventPath,
    response: WebhookEventViewSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params }, { em, partner }) =>
      toEventView(await getEventOf(em, partner, params.event_id)),
  }),
};

/** Deliveries and their attempts: `webhooks.deliveries.*` over tRPC. */
export const webhookDeliveryOperations = {
  list: defineOperation({
    operationId: 'listDeliveries',
    method: 'get',
    path: '/partners/:partner_id/deliveries',
    tag: TAG,
    summary: 'List deliveries, newest first, by status, event type, endpoint and time range',
    params: PartnerPath,
    query: WebhookDeliveryListQuerySchema,
    response: WebhookDeliveryPageSchema,
    status: 200,
    errors: [],
    handle: async ({ query }, { em, partner }) => {
      const page = await listDeliveriesOf(em, partner, query);
      return { deliveries: page.items.map(toDeliveryView), next_cursor: page.nextCursor };
    },
  }),
  get: defineOperation({
    operationId: 'getDelivery',
    method: 'get',
    path: '/partners/:partner_id/deliveries/:delivery_id',
    tag: TAG,
    summary: 'Get one delivery: its event, destination, status and retry state',
    params: DeliveryPath,
    response: WebhookDeliveryViewSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params }, { em, partner }) =>
      toDeliveryView(await getDeliveryOf(em, partner, params.delivery_id)),
  }),
  attempts: defineOperation({
    operationId: 'listDeliveryAttempts',
    method: 'get',
    path: '/partners/:partner_id/deliveries/:delivery_id/attempts',
    tag: TAG,
    summary: "A delivery's HTTP attempts, oldest first",
    description: 'Keyset-paginated: pass `next_cursor` back as `cursor` until it is null.',
    params: DeliveryPath,
    query: WebhookAttemptListQuerySchema,
    response: WebhookAttemptListSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params, query }, { em, partner }) => {
      const page = await listAttemptsOf(em, partner, params.delivery_id, query);
      return { attempts: page.items.map(toAttemptView), next_cursor: page.nextCursor };
    },
  }),
  resend: defineOperation({
    operationId: 'resendDelivery',
    method: 'post',
    path: '/partners/:partner_id/deliveries/:delivery_id/resend',
    tag: TAG,
    summary: 'Send a delivery again now (a manual attempt; the retry schedule is not changed)',
    description:
      'At most `WEBHOOK_MANUAL_RESENDS_MAX` (default 10) manual attempts per delivery: `409 resend_limit_reached`.',
    params: DeliveryPath,
    body: z.strictObject({}),
    response: ResendResultSchema,
    status: 200,
    errors: ['not_found', 'resend_limit_reached'],
    handle: async ({ params }, { em, deps, partner, actor }) => {
      const max = deps.config.webhooks.maxManualResends;
      const { delivery, attempt } = await resendDelivery(
        { ...deps, em },
        partner,
        params.delivery_id,
        actor,
        max,
      );
      return { delivery: toDeliveryView(delivery), attempt: attempt ? toAttemptView(attempt) : null };
    },
  }),
  recover: defineOperation({
    operationId: 'recoverDeliveries',
    method: 'post',
    path: '/partners/:partner_id/deliveries/recover',
    tag: TAG,
    summary: 'Requeue every failed delivery since a time, with a fresh retry schedule',
    params: PartnerPath,
    body: RecoverSchema,
    response: RecoverResultSchema,
    status: 200,
    errors: [],
    handle: async ({ body }, { em, deps, partner, actor }) => ({
      recovered: await recoverDeliveries(em, deps.clock, partner, body, actor),
    }),
  }),
};
