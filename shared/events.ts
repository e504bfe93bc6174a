import { z } from 'zod';
import { CHANNEL_CONNECTION_TYPES, LINKED_DEVICE_STATUSES } from './statuses.ts';

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

/**
 * A WABA-level or number-level change Meta sends only to the app's callback, fanned out to each
 * channel a partner holds (see docs/events.md "Fields Meta sends only to the hub"). `value` is
 * Meta's, unchanged; the other fields are what the hub read from it (null when absent or not a
 * string).
 */
const MetaFanOut = z.object({
  channel_id: z.string(),
  client_id: z.string(),
  waba_id: z.string(),
  phone_number_id: z.string(),
  /** Meta's webhook field, e.g. `message_template_status_update`. */
  field: z.string(),
  /** Meta's `event` (or `decision`, `alert_type`, new score or category): what happened. */
  event: z.string().nullable(),
  value: z.record(z.string(), z.unknown()),
});

const Heartbeat = z.object({
  channel_id: z.string(),
  client_id: z.string(),
  phone_number: z.string(),
  /** The last sign of the app: an echo, a contact or history sync, or the connection itself. */
  last_activity_at: z.string(),
  link_expires_at: z.string(),
});

const TemplateFanOut = MetaFanOut.extend({
  template_id: z.string().nullable(),
  template_name: z.string().nullable(),
  template_language: z.string().nullable(),
});

const SessionBase = z.object({
  session_id: z.string(),
  channel_id: z.string(),
  client_id: z.string(),
});

const StatementBase = z.object({
  statement_id: z.string(),
  /** The client billed; null for a Partner Payment statement (all your clients). */
  client_id: z.string().nullable(),
  period: z.string(),
  currency: z.string(),
  /** The statement's total, e.g. `26.87`. */
  total: z.string(),
  payment_model: z.enum(['partner', 'direct']),
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
    connection_type: z.enum(CHANNEL_CONNECTION_TYPES),
  }),
  /**
   * The partner the client signed up through disconnected the number (`reason`
   * `partner_disconnected`): every key and grant of it is revoked (their own events follow), and
   * `unsubscribed` says whether the app's WABA subscription was removed at Meta (not while
   * another connected number shares the WABA). A new signup of the number reconnects it.
   */
  'channel.disconnected': z.object({
    channel_id: z.string(),
    client_id: z.string(),
    phone_number: z.string(),
    waba_id: z.string(),
    reason: z.string(),
    unsubscribed: z.boolean(),
  }),
  /**
   * The number's connection type is known (Dualhook's mode): `cloud_api`, or `coexistence` for a
   * number that stays in the WhatsApp Business app. With `channel.created`, and again if a
   * reconnection changes it.
   */
  'channel.mode_resolved': z.object({
    channel_id: z.string(),
    client_id: z.string(),
    connection_type: z.enum(CHANNEL_CONNECTION_TYPES),
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
    /** The endpoint registered from the session's `webhook_url` (null without one). */
    webhook_endpoint_id: z.string().nullable(),
    client_id: z.string(),
    channel_id: z.string(),
    waba_id: z.string(),
    phone_number_id: z.string(),
    phone_number: z.string(),
    /** Whether the number is registered for the Cloud API (a coexistence number needs no registration: true once connected). */
    is_phone_registered: z.boolean(),
    connection_type: z.enum(CHANNEL_CONNECTION_TYPES),
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
  /**
   * `smb_message_echoes`: a message the business sent from the WhatsApp Business app of a
   * coexistence number, in Meta's envelope, for the channel's webhook (as 360dialog routes it).
   */
  'message.echo': MessageChange,
  /**
   * Meta's change in its own envelope, for channel webhooks (as 360dialog forwards it): the
   * fields of `MetaFanOut` sent to the app's callback only. Not sent where no filter is set.
   */
  'waba.change': MessageChange.extend({ phone_number_id: z.string().nullable() }),
  /** `message_template_status_update` (360dialog: template status changed). */
  'template.status_updated': TemplateFanOut.extend({ reason: z.string().nullable() }),
  /** `message_template_quality_update`: `event` is the new quality score. */
  'template.quality_updated': TemplateFanOut,
  /** `message_template_components_update`. */
  'template.components_updated': TemplateFanOut,
  /** `template_category_update`: `event` is the new category. */
  'template.category_updated': TemplateFanOut,
  /**
   * Every `account_update` (360dialog: `account_violation`, `account_restriction`); `status` is
   * the channel's status after the hub applied it, `reason` the violation or restriction type.
   */
  'account.updated': MetaFanOut.extend({ status: z.string(), reason: z.string().nullable() }),
  /** `account_review_update`: `event` is Meta's decision (APPROVED, REJECTED, PENDING, DEFERRED). */
  'account.review_updated': MetaFanOut,
  /** `account_alerts`: `event` is the alert type. */
  'account.alert': MetaFanOut,
  /** `business_capability_update`: the portfolio's messaging limit as a tier, when given. */
  'account.capability_updated': MetaFanOut.extend({
    current_limit: z.string().nullable(),
    max_phone_numbers: z.number().nullable(),
  }),
  /** `phone_number_quality_update`: the number's quality rating and messaging limit after it. */
  'channel.quality_updated': MetaFanOut.extend({
    quality_rating: z.string().nullable(),
    current_limit: z.string().nullable(),
  }),
  /** `phone_number_name_update`: `event` is the decision on the display name. */
  'channel.name_updated': MetaFanOut.extend({
    requested_verified_name: z.string().nullable(),
    rejection_reason: z.string().nullable(),
  }),
  /** `security`: e.g. the two-step verification PIN was changed or a reset requested. */
  'channel.security_updated': MetaFanOut,
  /** `flows`: a Flow's status, endpoint health or error rate changed. */
  'flow.updated': MetaFanOut,
  /**
   * `history` (coexistence): a chunk of the WhatsApp Business app's chat history, or the
   * business declining to share it (`event` `DECLINED`, Meta's error in `value`). 360dialog: `history`.
   */
  'channel.history_synced': MetaFanOut.extend({
    phase: z.number().nullable(),
    progress: z.number().nullable(),
  }),
  /** `smb_app_state_sync` (coexistence): contacts added, edited or removed in the app. 360dialog: `smb_app_state_sync`. */
  'channel.contacts_synced': MetaFanOut.extend({ contacts: z.number() }),
  /**
   * A coexistence number's WhatsApp Business app has shown no activity for a while: the business
   * should open it before `link_expires_at` or Meta may drop the link (see docs/channels.md).
   */
  'channel.heartbeat_due': Heartbeat,
  /** As `channel.heartbeat_due`, with the expiry close (by default one day left). */
  'channel.heartbeat_overdue': Heartbeat,
  /**
   * A linked-device session changed status (whathooks' statuses: PENDING, QR, CONNECTING,
   * CONNECTED, DISCONNECTED, LOGGED_OUT). `reason` says why it disconnected (`connection_lost`,
   * `qr_timeout`, `probe_failed`, `logged_out_from_phone`, …). See docs/linked-devices.md.
   */
  'session.status': SessionBase.extend({
    status: z.enum(LINKED_DEVICE_STATUSES),
    previous_status: z.enum(LINKED_DEVICE_STATUSES).nullable(),
    reason: z.string().nullable(),
    phone_number: z.string().nullable(),
  }),
  /**
   * A new QR code (or pairing code) is waiting on a linked-device session; it replaces the one
   * before and expires at `expires_at`. `qr` is the string the QR code encodes.
   */
  'session.qr': SessionBase.extend({
    qr: z.string().nullable(),
    pairing_code: z.string().nullable(),
    expires_at: z.string(),
  }),
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
  /** A month's statement was issued (docs/billing.md): per client for Direct Payment, yours for Partner Payment. */
  'statement.issued': StatementBase,
  /** The statement's invoice was paid (charged to the client's card, or paid by you). */
  'payment.succeeded': StatementBase.extend({ invoice_id: z.string().nullable() }),
  /**
   * Charging the client's card failed. The client is `past_due`; if it has not paid by
   * `grace_until`, its channels stop sending (`payment_required`) until it does.
   */
  'payment.failed': StatementBase.extend({
    invoice_id: z.string().nullable(),
    failure_code: z.string(),
    failure_message: z.string(),
    grace_until: z.string().nullable(),
  }),
  ping: z.object({ message: z.string() }),
} as const;

export type EventType = keyof typeof EVENT_DATA_SCHEMAS;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_DATA_SCHEMAS)[T]>;
export const EVENT_TYPES = Object.keys(EVENT_DATA_SCHEMAS) as EventType[];

/**
 * Inbound traffic, in Meta's envelope: sent only to destinations that list the type (channel
 * webhooks do), never to a partner webhook without a filter.
 */
export const INBOUND_EVENT_TYPES: readonly EventType[] = [
  'message.received',
  'message.status',
  'message.update',
  'message.echo',
  'waba.change',
];
export const isInboundEventType = (type: string): boolean =>
  (INBOUND_EVENT_TYPES as readonly string[]).includes(type);
