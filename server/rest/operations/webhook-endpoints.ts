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
import type { AppDeps } from '../../deps.ts';
import {
  createEndpoint,
  DEFAULT_SECRET_GRACE_SECONDS,
  deleteEndpoint,
  enableEndpoint,
  findEndpointOf,
  listEndpointsOf,
  rotateEndpointSecret,
  sendTestPing,
  updateEndpoint,
} from '../../modules/webhooks/endpoints.service.ts';
import { toEndpointView, toPrimaryEndpointView } from '../../modules/webhooks/webhook-views.ts';
import { urlPolicyFor } from '../../security/url-policy.ts';
import { defineOperation } from '../operation.ts';
import { EndpointPath, PartnerPath } from './params.ts';

const TAG = 'Webhook endpoints';
const endpointDeps = (deps: AppDeps) => ({
  clock: deps.clock,
  secretBox: deps.secretBox,
  urlPolicy: urlPolicyFor(deps.config),
});

export const webhookEndpointOperations = [
  defineOperation({
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
    handle: async (_input, { em, partner }) => ({
      webhook_endpoints: [
        ...(partner.webhookUrl ? [toPrimaryEndpointView(partner)] : []),
        ...(await listEndpointsOf(em, partner)).map(toEndpointView),
      ],
    }),
  }),
  defineOperation({
    operationId: 'createWebhookEndpoint',
    method: 'post',
    path: '/partners/:partner_id/webhook_endpoints',
    tag: TAG,
    summary: 'Add a webhook endpoint with its own secret and event filter',
    params: PartnerPath,
    body: WebhookEndpointCreateSchema,
    response: WebhookEndpointCreatedSchema,
    status: 201,
    errors: ['conflict'],
    handle: async ({ body }, { em, deps, partner, actor }) => {
      const { endpoint, secret } = await createEndpoint(em, endpointDeps(deps), partner, body, actor);
      return { ...toEndpointView(endpoint), secret };
    },
  }),
  defineOperation({
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
      const endpoint = await findEndpointOf(em, partner, params.endpoint_id);
      return endpoint === 'primary' ? toPrimaryEndpointView(partner) : toEndpointView(endpoint);
    },
  }),
  defineOperation({
    operationId: 'updateWebhookEndpoint',
    method: 'patch',
    path: '/partners/:partner_id/webhook_endpoints/:endpoint_id',
    tag: TAG,
    summary: "Change an endpoint's URL, description or event filter",
    params: EndpointPath,
    body: WebhookEndpointUpdateSchema,
    response: WebhookEndpointViewSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params, body }, { em, deps, partner, actor }) =>
      toEndpointView(await updateEndpoint(em, endpointDeps(deps), partner, params.endpoint_id, body, actor)),
  }),
  defineOperation({
    operationId: 'deleteWebhookEndpoint',
    method: 'delete',
    path: '/partners/:partner_id/webhook_endpoints/:endpoint_id',
    tag: TAG,
    summary: 'Delete a webhook endpoint (its pending deliveries end as failed)',
    params: EndpointPath,
    status: 204,
    errors: ['not_found'],
    handle: async ({ params }, { em, partner, actor }) => {
      await deleteEndpoint(em, partner, params.endpoint_id, actor);
      return undefined;
    },
  }),
  defineOperation({
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
      const { event, delivery } = await sendTestPing(em, deps.clock, partner, params.endpoint_id);
      return { event_id: event.id, delivery_id: delivery.id };
    },
  }),
  defineOperation({
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
        endpointDeps(deps),
        partner,
        params.endpoint_id,
        grace,
        actor,
      );
      return { secret: rotated.secret, previous_secret_expires_at: rotated.previousExpiresAt.toISOString() };
    },
  }),
  defineOperation({
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
      const endpoint = await findEndpointOf(em, partner, params.endpoint_id);
      return endpoint === 'primary' ? toPrimaryEndpointView(partner) : toEndpointView(endpoint);
    },
  }),
];
