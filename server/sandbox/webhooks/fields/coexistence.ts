import { newWamid } from '../../ids.ts';
import type { PhoneContext } from '../payloads.ts';

/**
 * The webhooks of a coexistence number (WhatsApp Business app + Cloud API), in Meta's
 * documented shapes: `smb_message_echoes` (the business wrote from the phone app),
 * `smb_app_state_sync` (contacts in the app) and `history` (the app's chat history, synced
 * once after onboarding). Unlike the app-only fields they follow a WABA's override callback.
 */

const seconds = (at: Date) => String(Math.floor(at.getTime() / 1000));
const metadata = (phone: PhoneContext) => ({
  display_phone_number: phone.displayPhoneNumber,
  phone_number_id: phone.phoneNumberId,
});

/** A text the business sent to `to` from the WhatsApp Business app. */
export function messageEchoValue(phone: PhoneContext, to: string, text: string, at: Date) {
  return {
    messaging_product: 'whatsapp',
    metadata: metadata(phone),
    message_echoes: [
      {
        from: phone.displayPhoneNumber,
        to,
        id: newWamid(to),
        timestamp: seconds(at),
        type: 'text',
        text: { body: text },
      },
    ],
  };
}

export interface AppContact {
  phoneNumber: string;
  fullName?: string | undefined;
  action: 'add' | 'remove';
}

/** Contacts added, edited (`add`) or removed in the app; names are absent on removal, as at Meta. */
export function appStateSyncValue(phone: PhoneContext, contacts: AppContact[], at: Date) {
  return {
    messaging_product: 'whatsapp',
    metadata: metadata(phone),
    state_sync: contacts.map((c) => ({
      type: 'contact',
      contact: {
        ...(c.action === 'add' && c.fullName
          ? { full_name: c.fullName, first_name: c.fullName.split(' ')[0] }
          : {}),
        phone_number: c.phoneNumber,
      },
      action: c.action,
      metadata: { timestamp: seconds(at) },
    })),
  };
}

/** Meta's error when the business turned chat history sharing off in the app. */
export const HISTORY_DECLINED = {
  code: 2593109,
  title: 'History sync is turned off by the business from the WhatsApp Business App',
  message: 'History sync is turned off by the business from the WhatsApp Business App',
  error_data: { details: 'History sync is turned off by the business from the WhatsApp Business App' },
};

/**
 * One history chunk: phase 0 (the day before onboarding), complete, with one thread of a
 * customer's message and the business's reply; or the business declining to share history.
 */
export function historyValue(
  phone: PhoneContext,
  at: Date,
  options: { declined?: boolean; customer?: string } = {},
) {
  const customer = options.customer ?? '16505551234';
  const earlier = new Date(at.getTime() - 3_600_000);
  return {
    messaging_product: 'whatsapp',
    metadata: metadata(phone),
    history: options.declined
      ? [{ errors: [HISTORY_DECLINED] }]
      : [
          {
            metadata: { phase: 0, chunk_order: 1, progress: 100 },
            threads: [
              {
                id: customer,
                messages: [
                  {
                    from: customer,
                    id: newWamid(customer),
                    timestamp: seconds(earlier),
                    type: 'text',
                    text: { body: 'Hi! Are you open on Sunday?' },
                    history_context: { status: 'READ' },
                  },
                  {
                    from: phone.displayPhoneNumber,
                    to: customer,
                    id: newWamid(customer),
                    timestamp: seconds(new Date(earlier.getTime() + 60_000)),
                    type: 'text',
                    text: { body: 'Yes, from 9 to 14.' },
                    history_context: { status: 'DELIVERED' },
                  },
                ],
              },
            ],
          },
        ],
  };
}

/** The contacts the sandbox's app holds when the hub asks for them after onboarding. */
export const SAMPLE_CONTACTS: AppContact[] = [
  { phoneNumber: '16505551234', fullName: 'Pablo Morales', action: 'add' },
  { phoneNumber: '16505550199', fullName: 'Ana Lima', action: 'add' },
];
