import type { z } from 'zod';
import type {
  WebhookAttemptViewSchema,
  WebhookDeliveryViewSchema,
  WebhookEndpointViewSchema,
  WebhookEventViewSchema,
} from '../../../shared/schemas/webhooks.ts';
import { PRIMARY_ENDPOINT_ID } from '../../../shared/schemas/webhooks.ts';
import type { Partner } from '../partners/partner.entity.ts';
import type { WebhookAttempt } from './webhook-attempt.entity.ts';
import type { WebhookDelivery } from './webhook-delivery.entity.ts';
import type { WebhookEndpoint } from './webhook-endpoint.entity.ts';
import type { WebhookEvent } from './webhook-event.entity.ts';

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

export function toEndpointView(endpoint: WebhookEndpoint): z.infer<typeof WebhookEndpointViewSchema> {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description ?? null,
    event_types: endpoint.eventTypes ?? null,
    status: endpoint.disabledAt ? 'disabled' : 'enabled',
    disabled_reason: endpoint.disabledReason ?? null,
    failing_since: iso(endpoint.failingSince),
    previous_secret_expires_at: iso(endpoint.previousSecretExpiresAt),
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}

/** The partner's `webhook_url`, shown as the endpoint `primary`. */
export function toPrimaryEndpointView(partner: Partner): z.infer<typeof WebhookEndpointViewSchema> {
  return {
    id: PRIMARY_ENDPOINT_ID,
    url: partner.webhookUrl ?? '',
    description: 'The partner webhook_url: every event',
    event_types: null,
    status: partner.webhookDisabledAt ? 'disabled' : 'enabled',
    disabled_reason: partner.webhookDisabledReason ?? null,
    failing_since: iso(partner.webhookFailingSince),
    previous_secret_expires_at: iso(partner.previousWebhookSecretExpiresAt),
    created_at: partner.createdAt.toISOString(),
    updated_at: partner.updatedAt.toISOString(),
  };
}

export function toEventView(event: WebhookEvent): z.infer<typeof WebhookEventViewSchema> {
  return {
    id: event.id,
    type: event.type,
    channel_id: event.channel?.id ?? null,
    data: event.data,
    created_at: event.createdAt.toISOString(),
  };
}

export function toDeliveryView(d: WebhookDelivery): z.infer<typeof WebhookDeliveryViewSchema> {
  return {
    id: d.id,
    event_id: d.event.id,
    event_type: d.event.type,
    destination: d.destination,
    endpoint_id: d.destination === 'partner_webhook' ? PRIMARY_ENDPOINT_ID : (d.endpoint?.id ?? null),
    url: d.url,
    status: d.status,
    attempt_count: d.attemptCount,
    next_attempt_at: iso(d.nextAttemptAt),
    last_attempt_at: iso(d.lastAttemptAt),
    succeeded_at: iso(d.succeededAt),
    created_at: d.createdAt.toISOString(),
  };
}

export function toAttemptView(a: WebhookAttempt): z.infer<typeof WebhookAttemptViewSchema> {
  return {
    id: a.id,
    trigger: a.trigger,
    started_at: a.startedAt.toISOString(),
    duration_ms: a.durationMs,
    response_status: a.responseStatus ?? null,
    response_body: a.responseBody ?? null,
    error: a.error ?? null,
  };
}

export function toAnyEndpointView(partner: Partner, endpoint: WebhookEndpoint | 'primary') {
  return endpoint === 'primary' ? toPrimaryEndpointView(partner) : toEndpointView(endpoint);
}

/** The primary webhook_url first (when set), then the extra endpoints. */
export function toEndpointListView(partner: Partner, endpoints: WebhookEndpoint[]) {
  return {
    webhook_endpoints: [
      ...(partner.webhookUrl ? [toPrimaryEndpointView(partner)] : []),
      ...endpoints.map(toEndpointView),
    ],
  };
}
