import type { EntityManager } from '@mikro-orm/postgresql';
import { EVENT_DATA_SCHEMAS, type EventData, type EventType } from '../../../shared/events.ts';
import type { WebhookDestination } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import type { Channel } from '../channels/channel.entity.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { WebhookDelivery } from './webhook-delivery.entity.ts';
import { WebhookEndpoint } from './webhook-endpoint.entity.ts';
import { WebhookEvent } from './webhook-event.entity.ts';

export interface RecordEventInput<T extends EventType> {
  partner: Partner;
  type: T;
  data: EventData<T>;
  channel?: Channel | null;
  /** Deliver only here (a test ping), instead of to every matching destination. */
  only?: 'primary' | WebhookEndpoint;
}

/**
 * Records an event and one delivery per destination in the caller's unit of work, so they
 * commit (or roll back) with the change they describe; the delivery engine picks them up
 * after commit. Messages go to the channel's webhook; everything else to the partner's
 * `webhook_url` and to its extra endpoints whose filter matches. A disabled destination gets
 * its delivery marked failed at once, so a later `recover` can resend it.
 */
export async function recordEvent<T extends EventType>(
  em: EntityManager,
  clock: Clock,
  input: RecordEventInput<T>,
): Promise<WebhookEvent> {
  const data = EVENT_DATA_SCHEMAS[input.type].parse(input.data) as Record<string, unknown>;
  const now = clock.now();
  const { partner } = input;
  const event = em.create(WebhookEvent, {
    partner,
    channel: input.channel ?? null,
    type: input.type,
    data,
    createdAt: now,
  });
  const deliver = (
    fields: Pick<WebhookDelivery, 'destination' | 'url'> & { endpoint?: WebhookEndpoint },
    disabled: boolean,
  ) =>
    em.create(WebhookDelivery, {
      event,
      partner,
      ...fields,
      status: disabled ? 'failed' : 'pending',
      nextAttemptAt: disabled ? null : now,
      createdAt: now,
    });

  if (input.type.startsWith('message.')) {
    // Inbound traffic is recorded in bulk by the inbound router, straight to channel webhooks.
    throw new Error(`${input.type} events are recorded by the inbound router, not recordEvent`);
  }
  if (input.only === 'primary') {
    if (partner.webhookUrl) deliver({ destination: 'partner_webhook', url: partner.webhookUrl }, false);
    return event;
  }
  if (input.only) {
    deliver({ destination: 'endpoint', url: input.only.url, endpoint: input.only }, false);
    return event;
  }
  if (partner.webhookUrl)
    deliver({ destination: 'partner_webhook', url: partner.webhookUrl }, !!partner.webhookDisabledAt);
  const endpoints = await endpointsOf(em, partner);
  for (const endpoint of endpoints) {
    if (endpoint.eventTypes && !endpoint.eventTypes.includes(input.type)) continue;
    deliver({ destination: 'endpoint', url: endpoint.url, endpoint }, !!endpoint.disabledAt);
  }
  return event;
}

/**
 * A partner's endpoints, looked up once per unit of work: a batch of events recorded in one
 * transaction must not query them per event.
 */
const endpointCache = new WeakMap<EntityManager, Map<string, Promise<WebhookEndpoint[]>>>();
function endpointsOf(em: EntityManager, partner: Partner): Promise<WebhookEndpoint[]> {
  let byPartner = endpointCache.get(em);
  if (!byPartner) {
    byPartner = new Map();
    endpointCache.set(em, byPartner);
  }
  let endpoints = byPartner.get(partner.id);
  if (!endpoints) {
    endpoints = em.find(WebhookEndpoint, { partner }, { orderBy: { id: 'asc' } });
    byPartner.set(partner.id, endpoints);
  }
  return endpoints;
}

/** The body partner webhooks and endpoints receive: `{"type", "timestamp", "data"}`. */
export function eventBody(event: Pick<WebhookEvent, 'type' | 'createdAt' | 'data'>): string {
  return JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: event.data });
}

/**
 * What a destination receives. A channel webhook gets Meta's own envelope around the raw
 * `value`, exactly as 360dialog forwards it, so code written against Meta or 360dialog parses it.
 */
export function deliveryBody(
  event: Pick<WebhookEvent, 'type' | 'createdAt' | 'data'>,
  destination: WebhookDestination,
): string {
  if (destination !== 'channel_webhook') return eventBody(event);
  const { waba_id, field, value } = event.data as { waba_id: string; field: string; value: unknown };
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: waba_id, changes: [{ value, field }] }],
  });
}
