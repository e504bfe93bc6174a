import type { HubConfig } from '../config/env.ts';
import { AppError, errorBody } from '../errors.ts';
import { parseJsonObject } from '../http/json-object.ts';
import type { ChannelKeyGrant } from '../modules/messaging/channel-key-verifier.ts';
import { assertLinkedDevicesEnabled } from './enabled.ts';
import { type ActionDeps, sendLinkedDeviceText } from './linked-device-actions.service.ts';

/** What a linked device sends through `POST /waba/messages`; every other Cloud API body is refused by name. */
export const LINKED_DEVICE_MESSAGE_TYPES = ['text'] as const;

export type LinkedDeviceSendDeps = ActionDeps & { config: Pick<HubConfig, 'linkedDevices'> };

interface Answer {
  status: number;
  contentType: string;
  body: Buffer;
  retryAfterSeconds?: number;
}

const json = (status: number, value: unknown, retryAfterSeconds?: number): Answer => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: Buffer.from(JSON.stringify(value)),
  ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
});

/** The text of a Cloud API text message, or the reason it is not one a linked device can send. */
function textOf(message: Record<string, unknown>): string {
  if (message.messaging_product !== undefined && message.messaging_product !== 'whatsapp')
    throw new AppError('validation_failed', "messaging_product must be 'whatsapp'", {
      field: 'messaging_product',
    });
  // A status update (mark as read) has no type; Cloud API's default type is text.
  const type = message.status !== undefined ? 'status' : (message.type ?? 'text');
  if (type !== 'text' || message.context !== undefined)
    throw new AppError(
      'message_type_not_supported',
      `A linked-device number sends ${LINKED_DEVICE_MESSAGE_TYPES.join(', ')} messages only${
        message.context !== undefined ? ', without a reply context' : ''
      }`,
      { type: typeof type === 'string' ? type.slice(0, 64) : null, supported: LINKED_DEVICE_MESSAGE_TYPES },
    );
  const text = message.text as { body?: unknown } | undefined;
  if (!text || typeof text !== 'object' || typeof text.body !== 'string')
    throw new AppError('validation_failed', 'text.body must be a string', { field: 'text.body' });
  if (typeof message.to !== 'string')
    throw new AppError('validation_failed', 'to must be a phone number', { field: 'to' });
  return text.body;
}

/**
 * A Cloud API message body sent through a linked-device channel's session (its
 * `phone_number_id`), answered in the Cloud API's shape, so an app that sends through
 * `/waba/messages` needs no second code path. A rate-limited send answers 429 with Retry-After.
 */
export async function sendThroughLinkedDevice(
  deps: LinkedDeviceSendDeps,
  grant: ChannelKeyGrant,
  body: Buffer,
): Promise<Answer> {
  assertLinkedDevicesEnabled(deps.config);
  const message = parseJsonObject(body, 'The message (a Cloud API message body)');
  const text = textOf(message);
  const input = message.to as string;
  try {
    const sent = await sendLinkedDeviceText(deps, grant.phoneNumberId, input, text);
    return json(200, {
      messaging_product: 'whatsapp',
      contacts: [{ input, wa_id: sent.to }],
      messages: [{ id: sent.waMessageId }],
    });
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'rate_limited') throw err;
    const seconds = (err.details as { retry_after_seconds?: number } | undefined)?.retry_after_seconds ?? 60;
    return json(429, errorBody(err), seconds);
  }
}
