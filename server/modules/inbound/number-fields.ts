import type { EventType } from '../../../shared/events.ts';
import { type MetaChange, messageEventType } from './meta-changes.ts';
import { intOf, obj } from './waba-fields.ts';

/**
 * The fields about one number (`value.metadata.phone_number_id`) that Meta may send to an
 * override callback, and so to the hub's inbound relay: customer traffic, and what the WhatsApp
 * Business app of a coexistence number syncs. Each reaches every partner holding the number.
 */
const NUMBER_FIELDS = new Set(['messages', 'smb_message_echoes', 'history', 'smb_app_state_sync']);

export const isNumberField = (field: string): boolean => NUMBER_FIELDS.has(field);

/**
 * Fields only the phone app of a coexistence number causes: each is a sign the app is still in
 * use, which the heartbeat tracks (Meta can drop the link after ~13 days without one).
 */
export const isBusinessAppField = (field: string): boolean =>
  field !== 'messages' && NUMBER_FIELDS.has(field);

/** A partner's grant on the number a change is about. */
export interface NumberHolder {
  channel_id: string;
  client_id: string;
  waba_id: string;
  phone_number_id: string;
  partner_id: string;
}

export type NumberEvent = { type: EventType } & ({ body: string } | { data: Record<string, unknown> });

/**
 * What a partner receives for one change: customer traffic and app echoes in Meta's envelope
 * (`body()`), for the channel's webhook, as 360dialog forwards them; history and contact syncs
 * as typed partner events, as 360dialog sends them to the partner's webhook.
 */
export function numberEvent(change: MetaChange, holder: NumberHolder, body: () => string): NumberEvent {
  const base = {
    channel_id: holder.channel_id,
    client_id: holder.client_id,
    waba_id: holder.waba_id,
    phone_number_id: holder.phone_number_id,
    field: change.field,
    value: change.value,
  };
  switch (change.field) {
    case 'smb_message_echoes':
      return { type: 'message.echo', body: body() };
    case 'history': {
      const chunks = Array.isArray(change.value.history) ? change.value.history.map(obj) : [];
      const declined = chunks.some((c) => Array.isArray(c.errors) && c.errors.length > 0);
      const meta = obj(chunks[0]?.metadata);
      return {
        type: 'channel.history_synced',
        data: {
          ...base,
          event: declined ? 'DECLINED' : 'SHARED',
          phase: intOf(meta.phase),
          progress: intOf(meta.progress),
        },
      };
    }
    case 'smb_app_state_sync': {
      const entries = Array.isArray(change.value.state_sync) ? change.value.state_sync.map(obj) : [];
      return {
        type: 'channel.contacts_synced',
        data: { ...base, event: null, contacts: entries.filter((e) => e.type === 'contact').length },
      };
    }
    default:
      return { type: messageEventType(change), body: body() };
  }
}
