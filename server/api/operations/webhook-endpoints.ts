import { z } from 'zod';
import {
  SecretRotatedSchema,
  SecretRotateSchema,
  TestSentSchema,
  WebhookEndpointCreatedSchema,
  WebhookEndpointCreateSchema,
  WebhookEndpointListSchema,
  WebhookEndpointUpdateSchema,
  WebhookEndpointViewSchema,
} from '../../../shared/schemas/webhooks.ts';
import { shownSecret, standardWebhooksSecret } from '../../crypto/chosen-secret.ts';
import {
  createEndpoint,
  DEFAULT_SECRET_GRACE_SECONDS,
  deleteEndpoint,
  disableEndpoint,
  enableEndpoint,
  findEndpointOf,
  listEndpointsOf,
  rotateEndpointSecret,
  sendTestPing,
  updateEndpoint,
} from '../../modules/webhooks/endpoints.service.ts';
import { toEndpointListView, toEndpointView } from '../../modules/webhooks/webhook-view.ts';
import { defineOperation } from '../operation.ts';
import { EndpointPath, PartnerPath } from './params.ts';

const TAG = 'Webhook endpoints';

/** A secret as the partner knows it, and in the form Standard Webhooks libraries take. */
const secretViews = (stored: string) => ({
  secret: shownSecret(stored),
  standard_webhooks_secret: standardWebhooksSecret(stored),
});

export const webhookEndpointOperations = {
  list: defineOperation({
    operationId: 'listWebhookEndpoints',
    method: 'get',
    path: '/partners/:partner_id/webhook_endpoints',
    tag: TAG,
    summary: 'List webhook endpoints, the primary webhook_url first (id `primary`)',
    params: PartnerPath,
    query: z.strictObject({}),
    response: WebhookEndpointListSchema,
    status: 200,
    errors: [],
    handle: async (_input, { em, partner }) => toEndpointListView(await listEndpointsOf(em, partner)),
  }),
  create: defineOperation({
    operationId: 'createWebhookEndpoint',
    method: 'post',
    path: '/partners/:partner_id/webhook_endpoints',
    tag: TAG,
    summary: 'Add a webhook endpoint with its own secret and event filter',
    params: PartnerPath,
    body: WebhookEndpointCreateSchema,
    response: WebhookEndpointCreatedSchema,
    status: 201,
    errors: ['conflict', 'not_found', 'webhook_url_not_allowed'],
    handle: async ({ body }, { em, deps, partner, actor }) => {
      const { endpoint, secret } = await createEndpoint(em, deps, partner, body, actor);
      return { ...toEndpointView(endpoint), ...secretViews(secret) };
    },
  }),
  get: defineOperation({
    operationId: 'getWebhookEndpoint',
    method: 'get',
    path: '/partners/:partner_id/webhook_endpoints/:endpoint_id',
    tag: TAG,
    summary: 'Get a webhook endpoint',
    params: EndpointPath,
    response: WebhookEndpointViewSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params }, { em, partner }) => {
      return toEndpointView(await findEndpointOf(em, partner, params.endpoint_id));
    },
  }),
  update: defineOperation({
    operationId: 'updateWebhookEndpoint',
    method: 'patch',
    path: '/partners/:partner_id/webhook_endpoints/:endpoint_id',
    tag: TAG,
    summary: "Change an endpoint's URL, description or event filter",
    params: EndpointPath,
    body: WebhookEndpointUpdateSchema,
    response: WebhookEndpointViewSchema,
    status: 200,
    errors: ['not_found', 'webhook_url_not_allowed'],
    handle: async ({ params, body }, { em, deps, partner, actor }) =>
      toEndpointView(await updateEndpoint(em, deps, partner, params.endpoint_id, body, actor)),
  }),
  delete: defineOperation({
    operationId: 'deleteWebhookEndpoint',
    method: 'delete',
    path: '/partners/:partner_id/webhook_endpoints/:endpoint_id',
    tag: TAG,
    summary: 'Delete a webhook endpoint (its pending deliveries end as failed)',
    params: EndpointPath,
    status: 204,
    errors: ['not_found'],
    handle: async ({ params }, { em, deps, partner, actor }) => {
      await deleteEndpoint(em, deps.clock, partner, params.endpoint_id, actor);
      return undefined;
    },
  }),
  test: defineOperation({
    operationId: 'testWebhookEndpoint',
    method: 'post',
    path: '/partners/:partner_id/webhook_endpoints/:endpoint_id/test',
    tag: TAG,
    summary: 'Send a `ping` event to this endpoint only',
    params: EndpointPath,
    body: z.strictObject({}),
    response: TestSentSchema,
    status: 201,
    errors: ['not_found'],
    handle: async ({ params }, { em, deps, partner }) => {
      const { eventId, deliveryId } = await sendTestPing(em, deps.clock, partner, params.endpoint_id);
      return { event_id: eventId, delivery_id: deliveryId };
    },
  }),
  rotateSecret: defineOperation({
    operationId: 'rotateWebhookSecret',
    method: 'post',
    path: '/partners/:partner_id/webhook_endpoints/:endpoint_id/rotate_secret',
    tag: TAG,
    summary: 'Rotate the signing secret; both signatures are sent during the grace window',
    params: EndpointPath,
    body: SecretRotateSchema,
    response: SecretRotatedSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params, body }, { em, deps, partner, actor }) => {
      const grace = body.grace_period_seconds ?? DEFAULT_SECRET_GRACE_SECONDS;
      const rotated = await rotateEndpointSecret(
        em,
        deps,
        partner,
        params.endpoint_id,
        grace,
        actor,
        body.secret,
      );
      return {
        ...secretViews(rotated.secret),
        previous_secret_expires_at: rotated.previousExpiresAt.toISOString(),
      };
    },
  }),
  enable: defineOperation({
    operationId: 'enableWebhookEndpoint',
    method: 'post',
    path: '/partners/:partner_id/webhook_endpoints/:endpoint_id/enable',
    tag: TAG,
    summary: 'Re-enable a disabled endpoint (then `recover` what it missed)',
    params: EndpointPath,
    body: z.strictObject({}),
    response: WebhookEndpointViewSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params }, { em, partner, actor }) => {
      await enableEndpoint(em, partner, params.endpoint_id, actor);
      return toEndpointView(await findEndpointOf(em, partner, params.endpoint_id));
    },
  }),
  disable: defineOperation({
    operationId: 'disableWebhookEndpoint',
    method: 'post',
    path: '/partners/:partner_id/webhook_endpoints/:endpoint_id/disable',
    tag: TAG,
    summary: 'Pause an endpoint: nothing is sent to it, and its pending deliveries end as failed',
    description: 'Its deliveries keep being logged as failed; `enable` it, then `recover` them.',
    params: EndpointPath,
    body: z.strictObject({}),
    response: WebhookEndpointViewSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params }, { em, deps, partner, actor }) =>
      toEndpointView(await disableEndpoint(em, deps.clock, partner, params.endpoint_id, actor)),
  }),
};
