import { z } from 'zod';

/**
 * The webhook event catalogue: every event type and the schema of its `data`. Deliveries
 * carry `{"type", "timestamp", "data"}`; later features add their types here.
 */
const OnboardingBase = z.object({
  session_id: z.string(),
  tenant_id: z.string(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});

const MessageChange = z.object({
  phone_number_id: z.string(),
  waba_id: z.string(),
  field: z.string(),
  value: z.record(z.string(), z.unknown()),
});

export const EVENT_DATA_SCHEMAS = {
  'client.created': z.object({
    client_id: z.string(),
    external_id: z.string().nullable(),
    partner_payload: z.string().nullable(),
  }),
  /** The client was erased (GDPR): erase what you hold about it too. */
  'client.deleted': z.object({
    client_id: z.string(),
    external_id: z.string().nullable(),
  }),
  'channel.created': z.object({
    channel_id: z.string(),
    client_id: z.string(),
    phone_number: z.string(),
    waba_id: z.string(),
    phone_number_id: z.string(),
    status: z.string(),
  }),
  'channel.updated': z.object({
    channel_id: z.string(),
    client_id: z.string(),
    status: z.string(),
    changed_fields: z.array(z.string()),
  }),
  'permission.granted': z.object({
    permission_id: z.string(),
    channel_id: z.string(),
    client_id: z.string(),
  }),
  'permission.revoked': z.object({
    permission_id: z.string(),
    channel_id: z.string(),
    client_id: z.string(),
  }),
  'onboarding_session.opened': OnboardingBase,
  'onboarding_session.completed': OnboardingBase.extend({
    client_id: z.string(),
    channel_id: z.string(),
    waba_id: z.string(),
    phone_number_id: z.string(),
  }),
  'onboarding_session.failed': OnboardingBase.extend({ reason: z.string() }),
  'onboarding_session.cancelled': OnboardingBase,
  /**
   * The tenant cancelled Embedded Signup at a step, or it ended in an error, while the session
   * is still open: it can still complete (a later finish clears `abandoned_at`).
   */
  'onboarding_session.abandoned': OnboardingBase.extend({
    event: z.enum(['CANCEL', 'ERROR']),
    current_step: z.string().nullable(),
    error_message: z.string().nullable(),
    error_id: z.string().nullable(),
  }),
  /**
   * Inbound traffic keeps Meta's raw `value` object; the channel's webhook receives it in
   * Meta's own envelope, as 360dialog forwards it (see docs/messaging.md).
   */
  'message.received': MessageChange,
  'message.status': MessageChange,
  /** A `messages` change with neither messages nor statuses (e.g. Meta's `errors`). */
  'message.update': MessageChange,
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
