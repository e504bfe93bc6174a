import { newWamid } from '../ids.ts';

/** The WhatsApp Business Account webhook envelope, exactly as Meta posts it. */
export interface MetaWebhookPayload {
  object: 'whatsapp_business_account';
  entry: { id: string; changes: { value: Record<string, unknown>; field: string }[] }[];
}

/** Where a message or status happened: the number's WABA and its ids. */
export interface PhoneContext {
  wabaId: string;
  phoneNumberId: string;
  /** E.164 digits without the plus: Meta puts digits, not the formatted number, in `metadata`. */
  displayPhoneNumber: string;
}

export type MessageStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface StatusError {
  code: number;
  title: string;
  message?: string;
  details?: string;
}

/** Meta's default reason for a failed message when the caller names none. */
export const DEFAULT_FAILED_ERROR: StatusError = {
  code: 131026,
  title: 'Message undeliverable',
  message: 'Message undeliverable',
  details: 'Message Undeliverable.',
};

const unixSeconds = (at: Date) => String(Math.floor(at.getTime() / 1000));

function envelope(wabaId: string, field: string, value: Record<string, unknown>): MetaWebhookPayload {
  return { object: 'whatsapp_business_account', entry: [{ id: wabaId, changes: [{ value, field }] }] };
}

function metadata(phone: PhoneContext) {
  return { display_phone_number: phone.displayPhoneNumber, phone_number_id: phone.phoneNumberId };
}

export interface InboundMessageInput {
  phone: PhoneContext;
  /** The customer's wa_id (digits); absent for a contact known by BSUID only. */
  from?: string | undefined;
  /** The customer's business-scoped user id. */
  userId?: string | undefined;
  /** The customer's WhatsApp profile name. */
  name: string;
  at: Date;
  /** A text message body; ignored when `message` is given. */
  text?: string;
  /**
   * A raw Cloud API message object (image, interactive reply, …). `from`, `id` and
   * `timestamp` are filled in when missing.
   */
  message?: Record<string, unknown>;
}

/** A customer's message to the business number (`field: "messages"`, `value.messages`). */
export function inboundMessagePayload(input: InboundMessageInput): MetaWebhookPayload {
  const message = {
    ...(input.from !== undefined ? { from: input.from } : {}),
    ...(input.userId !== undefined ? { from_user_id: input.userId } : {}),
    id: newWamid(input.from ?? input.userId ?? ''),
    timestamp: unixSeconds(input.at),
    ...(input.message ?? { type: 'text', text: { body: input.text ?? '' } }),
  };
  return envelope(input.phone.wabaId, 'messages', {
    messaging_product: 'whatsapp',
    metadata: metadata(input.phone),
    contacts: [
      {
        profile: { name: input.name },
        ...(input.from !== undefined ? { wa_id: input.from } : {}),
        ...(input.userId !== undefined ? { user_id: input.userId } : {}),
      },
    ],
    messages: [message],
  });
}

export interface StatusInput {
  phone: PhoneContext;
  /** The wamid the status is about. */
  messageId: string;
  status: MessageStatus;
  /** The customer's wa_id; absent for a contact known by BSUID only. */
  recipientId?: string | undefined;
  /** The customer's business-scoped user id. */
  recipientUserId?: string | undefined;
  at: Date;
  /** For `failed`; defaults to {@link DEFAULT_FAILED_ERROR}. */
  error?: StatusError;
  /** Meta's pricing category of the message (default `service`: free within the service window). */
  category?: PricingCategory | undefined;
}

export const PRICING_CATEGORIES = ['marketing', 'utility', 'authentication', 'service'] as const;
export type PricingCategory = (typeof PRICING_CATEGORIES)[number];

/** A delivery status of a message the business sent (`field: "messages"`, `value.statuses`). */
export function statusPayload(input: StatusInput): MetaWebhookPayload {
  const status: Record<string, unknown> = {
    id: input.messageId,
    status: input.status,
    timestamp: unixSeconds(input.at),
    ...(input.recipientId !== undefined ? { recipient_id: input.recipientId } : {}),
    ...(input.recipientUserId !== undefined ? { recipient_user_id: input.recipientUserId } : {}),
  };
  // Meta attaches billing only to sent and delivered statuses. Per-message pricing: template
  // categories are billed, service replies are free.
  if (input.status === 'sent' || input.status === 'delivered') {
    const category = input.category ?? 'service';
    status.conversation = {
      id: input.messageId.replace(/^wamid\./, '').slice(0, 32),
      origin: { type: category },
    };
    status.pricing = { billable: category !== 'service', pricing_model: 'PMP', category };
  }
  if (input.status === 'failed') {
    const e = input.error ?? DEFAULT_FAILED_ERROR;
    status.errors = [
      {
        code: e.code,
        title: e.title,
        message: e.message ?? e.title,
        error_data: { details: e.details ?? e.title },
      },
    ];
  }
  return envelope(input.phone.wabaId, 'messages', {
    messaging_product: 'whatsapp',
    metadata: metadata(input.phone),
    statuses: [status],
  });
}

/** The `account_update` events the sandbox can send; Meta has more, these are what partners act on. */
export const ACCOUNT_UPDATE_EVENTS = [
  'PARTNER_ADDED',
  'PARTNER_REMOVED',
  'PARTNER_APP_INSTALLED',
  'PARTNER_APP_UNINSTALLED',
  'DISABLED_UPDATE',
  'ACCOUNT_VIOLATION',
  'ACCOUNT_RESTRICTION',
  'ACCOUNT_DELETED',
] as const;
export type AccountUpdateEvent = (typeof ACCOUNT_UPDATE_EVENTS)[number];

export interface AccountUpdateInput {
  wabaId: string;
  ownerBusinessId: string;
  event: AccountUpdateEvent;
  at: Date;
  /** For DISABLED_UPDATE: Meta's `ban_info.waba_ban_state`. */
  banState?: 'DISABLE' | 'REINSTATE' | 'SCHEDULE_FOR_DISABLE';
  /** For ACCOUNT_VIOLATION: `violation_info.violation_type`; for ACCOUNT_RESTRICTION: the restriction type. */
  reason?: string | undefined;
}

/** A change to the WABA itself (`field: "account_update"`). */
export function accountUpdatePayload(input: AccountUpdateInput): MetaWebhookPayload {
  const value: Record<string, unknown> = {
    event: input.event,
    waba_info: { waba_id: input.wabaId, owner_business_id: input.ownerBusinessId },
  };
  if (input.event === 'DISABLED_UPDATE') {
    value.ban_info = {
      waba_ban_state: [input.banState ?? 'DISABLE'],
      waba_ban_date: input.at.toISOString().slice(0, 10),
    };
  }
  if (input.event === 'ACCOUNT_VIOLATION') {
    value.violation_info = { violation_type: input.reason ?? 'SCAM' };
  }
  if (input.event === 'ACCOUNT_RESTRICTION') {
    value.restriction_info = [
      {
        restriction_type: input.reason ?? 'RESTRICTED_BIZ_INITIATED_MESSAGING',
        expiration: Math.floor(input.at.getTime() / 1000) + 7 * 24 * 3600,
      },
    ];
  }
  return envelope(input.wabaId, 'account_update', value);
}

/** One change of any field, in Meta's envelope (for the fields in ./fields). */
export function fieldPayload(
  wabaId: string,
  field: string,
  value: Record<string, unknown>,
): MetaWebhookPayload {
  return envelope(wabaId, field, value);
}
