import type { EntityManager } from '@mikro-orm/postgresql';
import { EVENT_DATA_SCHEMAS, type EventData, type EventType } from '../../../shared/events.ts';
import type { Clock } from '../../clock.ts';
import type { Channel } from '../channels/channel.entity.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { WebhookDelivery } from './webhook-delivery.entity.ts';
import { WebhookEvent } from './webhook-event.entity.ts';

export interface RecordEventInput<T extends EventType> {
  partner: Partner;
  type: T;
  data: EventData<T>;
  channel?: Channel | null;
}

/**
 * Records an event and one delivery per destination in the caller's unit of work, so
 * they commit (or roll back) with the change they describe. Lifecycle events go to the
 * partner's `webhook_url`; a partner without one still gets the event in its log.
 */
export function recordEvent<T extends EventType>(
  em: EntityManager,
  clock: Clock,
  input: RecordEventInput<T>,
): WebhookEvent {
  const data = EVENT_DATA_SCHEMAS[input.type].parse(input.data) as Record<string, unknown>;
  const now = clock.now();
  const event = em.create(WebhookEvent, {
    partner: input.partner,
    channel: input.channel ?? null,
    type: input.type,
    data,
    createdAt: now,
  });
  if (input.partner.webhookUrl) {
    em.create(WebhookDelivery, {
      event,
      partner: input.partner,
      destination: 'partner_webhook',
      url: input.partner.webhookUrl,
      nextAttemptAt: now,
    });
  }
  return event;
}
