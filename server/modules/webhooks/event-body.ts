import {
  EVENT_DATA_SCHEMAS,
  type EventData,
  type EventType,
  isInboundEventType,
} from '../../../shared/events.ts';

/**
 * What a destination receives for a lifecycle event: `{"type","timestamp","partner_id","data"}`
 * (the partner id is Dualhook's `organizationId`: one receiver can serve several partners).
 * `data` is checked against the event catalogue, so a producer cannot emit a shape partners
 * were never told about.
 */
export function lifecycleBody<T extends EventType>(
  type: T,
  data: EventData<T>,
  createdAt: Date,
  partnerId: string,
): string {
  const checked = EVENT_DATA_SCHEMAS[type].parse(data);
  return JSON.stringify({ type, timestamp: createdAt.toISOString(), partner_id: partnerId, data: checked });
}

/** One Meta change in Meta's own envelope, as 360dialog forwards it to a channel's webhook. */
export function metaEnvelope(wabaId: string, field: string, value: unknown): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: wabaId, changes: [{ value, field }] }],
  });
}

interface Envelope {
  entry?: {
    id?: string;
    changes?: { field?: string; value?: { metadata?: { phone_number_id?: string } } }[];
  }[];
}

/**
 * The `data` the API shows for an event, read back from the body it was sent with: lifecycle
 * events carry it as is; inbound events are Meta's envelope around one change.
 */
export function eventDataOf(event: { type: string; body: string }): Record<string, unknown> {
  const parsed = JSON.parse(event.body) as { data?: Record<string, unknown> } & Envelope;
  if (!isInboundEventType(event.type)) return parsed.data ?? {};
  const entry = parsed.entry?.[0];
  const change = entry?.changes?.[0];
  return {
    phone_number_id: change?.value?.metadata?.phone_number_id ?? null,
    waba_id: entry?.id ?? null,
    field: change?.field ?? null,
    value: change?.value ?? null,
  };
}
