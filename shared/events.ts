import { z } from 'zod';

/**
 * The webhook event catalogue: every event type and the schema of its `data`. Deliveries
 * carry `{"type", "timestamp", "data"}`; later features add their types here.
 */
export const EVENT_DATA_SCHEMAS = {
  'partner.updated': z.object({
    partner_id: z.string(),
    changed_fields: z.array(z.string()),
  }),
  'api_key.created': z.object({
    api_key_id: z.string(),
    channel_id: z.string(),
    client_id: z.string(),
    last4: z.string(),
  }),
  'api_key.revoked': z.object({
    api_key_id: z.string(),
    channel_id: z.string(),
    client_id: z.string(),
    reason: z.enum(['revoked', 'replaced']),
  }),
  'webhook_endpoint.disabled': z.object({
    /** `primary` for the partner's webhook_url, otherwise the endpoint id. */
    endpoint_id: z.string(),
    url: z.string(),
    reason: z.string(),
  }),
  ping: z.object({ message: z.string() }),
} as const;

export type EventType = keyof typeof EVENT_DATA_SCHEMAS;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_DATA_SCHEMAS)[T]>;
export const EVENT_TYPES = Object.keys(EVENT_DATA_SCHEMAS) as EventType[];
