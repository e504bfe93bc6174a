/** Status vocabularies that appear on the wire; entities and zod schemas both use these. */

export const CLIENT_STATUSES = ['active', 'suspended'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

/**
 * A channel's lifecycle (docs/channels.md has the transition table):
 * `pending`: provisioning started; `connected`: the hub holds a business token and the WABA
 * is subscribed, but the number is not registered yet; `live`: registered and able to send;
 * `restricted`: Meta limits it (it can still send, within limits); `failed`: provisioning
 * could not finish; `disconnected`: access was lost (PARTNER_REMOVED, token revoked);
 * `deleted`: removed by the client.
 */
export const CHANNEL_STATUSES = [
  'pending',
  'connected',
  'live',
  'restricted',
  'failed',
  'disconnected',
  'deleted',
] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

/** Statuses in which a channel can send messages, and so can be given API keys. */
export const SENDABLE_CHANNEL_STATUSES: readonly ChannelStatus[] = ['live', 'restricted'];

/** `coexistence`: the number stays on the WhatsApp Business app too, and is not registered for Cloud API. */
export const CONNECTION_TYPES = ['cloud_api', 'coexistence'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];
/**
 * How a channel reaches WhatsApp: the Cloud API kinds above (chosen in Embedded Signup), or
 * `linked_device`, a number paired by QR over an unofficial WhatsApp Web connection (docs/linked-devices.md).
 */
export const CHANNEL_CONNECTION_TYPES = [...CONNECTION_TYPES, 'linked_device'] as const;
export type ChannelConnectionType = (typeof CHANNEL_CONNECTION_TYPES)[number];

/** A linked-device session's status: whathooks' statuses, as they are (docs/linked-devices.md). */
export const LINKED_DEVICE_STATUSES = [
  'PENDING',
  'QR',
  'CONNECTING',
  'CONNECTED',
  'DISCONNECTED',
  'LOGGED_OUT',
] as const;
export type LinkedDeviceStatus = (typeof LINKED_DEVICE_STATUSES)[number];

export const ONBOARDING_SESSION_STATUSES = [
  'pending',
  'opened',
  /** A completion claimed the session and is provisioning: no other completion or cancel can start. */
  'completing',
  'completed',
  'failed',
  'cancelled',
  'expired',
] as const;
export type OnboardingSessionStatus = (typeof ONBOARDING_SESSION_STATUSES)[number];

/**
 * What Embedded Signup's popup reports to the page (`WA_EMBEDDED_SIGNUP` message events):
 * a finish with a number, without one, a coexistence (WhatsApp Business app) finish, a cancel
 * at a step, or an error. The hub records each one (docs/onboarding.md#signup-session-events).
 */
export const SIGNUP_SESSION_EVENTS = [
  'FINISH',
  'FINISH_ONLY_WABA',
  'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING',
  'CANCEL',
  'ERROR',
] as const;
export type SignupSessionEventType = (typeof SIGNUP_SESSION_EVENTS)[number];

/**
 * A WABA a client signed up with: `pending` while it has no phone number (Embedded Signup's
 * FINISH_ONLY_WABA), `connected` once a number of it became a channel.
 */
export const CLIENT_WABA_STATUSES = ['pending', 'connected'] as const;
export type ClientWabaStatus = (typeof CLIENT_WABA_STATUSES)[number];

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** Kinds of webhook destination: the partner's primary webhook_url, a channel's inbound webhook, an extra endpoint. */
export const WEBHOOK_DESTINATIONS = ['partner_webhook', 'channel_webhook', 'endpoint'] as const;
export type WebhookDestinationKind = (typeof WEBHOOK_DESTINATIONS)[number];

export const WEBHOOK_ATTEMPT_TRIGGERS = ['scheduled', 'manual'] as const;

/** How deliveries to an endpoint are shaped and signed: Standard Webhooks (default) or whathooks' envelope. */
export const WEBHOOK_FORMATS = ['standard_webhooks', 'whathooks'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export const AUDIT_ACTOR_TYPES = [
  'partner_token',
  'channel_api_key',
  'client_user',
  'partner_user',
  'operator',
  'system',
] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

/** Who pays for a partner's clients' messaging: the partner (Partner Payment) or each client (Direct Payment). */
export const PAYMENT_MODELS = ['partner', 'direct'] as const;
export type PaymentModel = (typeof PAYMENT_MODELS)[number];

/**
 * A direct-paid client's standing: `past_due` after a failed payment (still sending), `suspended`
 * once the grace period is over (sends refused with `payment_required`), `ok` again when paid.
 */
export const BILLING_STATUSES = ['ok', 'past_due', 'suspended'] as const;
export type BillingStatus = (typeof BILLING_STATUSES)[number];

export const STATEMENT_STATUSES = ['issued', 'paid', 'payment_failed', 'awaiting_payment'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

/**
 * What a console user may do: `viewer` reads, `developer` also writes (keys, webhooks,
 * onboarding links), `owner` also manages the team, tokens and partner settings; an `operator`
 * runs the hub itself and belongs to no partner (docs/console.md).
 */
export const CONSOLE_ROLES = ['owner', 'developer', 'viewer', 'operator'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];
/** The roles a partner user can be given (an operator is made by the CLI only). */
export const PARTNER_USER_ROLES = ['owner', 'developer', 'viewer'] as const;
export type PartnerUserRole = (typeof PARTNER_USER_ROLES)[number];
