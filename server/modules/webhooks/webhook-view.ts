import type { z } from 'zod';
import type {
  WebhookAttemptViewSchema,
  WebhookDeliveryViewSchema,
  WebhookEndpointViewSchema,
  WebhookEventViewSchema,
} from '../../../shared/schemas/webhooks.ts';
import { PRIMARY_ENDPOINT_ID } from '../../../shared/schemas/webhooks.ts';
import { eventDataOf } from './event-body.ts';
import type { WebhookAttempt } from './webhook-attempt.entity.ts';
import type { WebhookDelivery } from './webhook-delivery.entity.ts';
import type { WebhookDestination } from './webhook-destination.entity.ts';
import type { WebhookEvent } from './webhook-event.entity.ts';

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** An endpoint as the API shows it; the partner's primary webhook is the endpoint `primary`. */
export function toEndpointView(d: WebhookDestination): z.infer<typeof WebhookEndpointViewSchema> {
  const primary = d.kind === 'partner_webhook';
  return {
    id: primary ? PRIMARY_ENDPOINT_ID : d.id,
    url: d.url ?? '',
    description: primary ? 'The partner webhook_url: every event' : (d.description ?? null),
    event_types: d.eventTypes ?? null,
    channel_id: d.kind === 'endpoint' ? (d.channel?.id ?? null) : null,
    waba_id: d.wabaId ?? null,
    format: d.format,
    status: d.disabledAt ? 'disabled' : 'enabled',
    disabled_reason: d.disabledReason ?? null,
    failing_since: iso(d.failingSince),
    previous_secret_expires_at: iso(d.previousSecretExpiresAt),
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

/** The primary webhook first (when it has a URL), then the extra endpoints. */
export function toEndpointListView(destinations: WebhookDestination[]) {
  return { webhook_endpoints: destinations.map(toEndpointView) };
}

export function toEventView(event: WebhookEvent): z.infer<typeof WebhookEventViewSchema> {
  return {
    id: event.id,
    type: event.type,
    channel_id: event.channel?.id ?? null,
    data: eventDataOf(event),
    created_at: event.createdAt.toISOString(),
  };
}

export function toDeliveryView(d: WebhookDelivery): z.infer<typeof WebhookDeliveryViewSchema> {
  return {
    id: d.id,
    event_id: d.event.id,
    event_type: d.event.type,
    destination: d.kind,
    endpoint_id:
      d.kind === 'partner_webhook'
        ? PRIMARY_ENDPOINT_ID
        : d.kind === 'endpoint'
          ? (d.destination?.id ?? null)
          : null,
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
    request_headers: a.requestHeaders ?? null,
    response_status: a.responseStatus ?? null,
    response_body: a.responseBody ?? null,
    error: a.error ?? null,
  };
}
