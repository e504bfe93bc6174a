import { defineEntity, p } from '@mikro-orm/core';

export const LINKED_DEVICE_COMMAND_KINDS = ['send_text', 'logout', 'play'] as const;
export type LinkedDeviceCommandKind = (typeof LINKED_DEVICE_COMMAND_KINDS)[number];

/**
 * Work for the process that holds a session's socket (any process may ask, only the owner can
 * act): send a message, log out, or a sandbox play. The owner marks a command started in a short
 * statement and runs it with no transaction open (a send may read the session's keys: holding a
 * connection while it waits for another would starve the pool). The asker waits for `done_at`;
 * a command nobody started by `expires_at`, or started and never finished (its owner died), is
 * closed by the asker as `linked_device_unavailable` and never run afterwards. Done rows are
 * pruned (their payload is cleared at once).
 */
export const LinkedDeviceCommandSchema = defineEntity({
  name: 'LinkedDeviceCommand',
  tableName: 'linked_device_commands',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    sessionId: p.string().length(32),
    kind: p.enum(LINKED_DEVICE_COMMAND_KINDS),
    payload: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
    /** When the owner took it (it then runs at most once, whatever happens to that owner). */
    startedAt: p.datetime().nullable(),
    doneAt: p.datetime().nullable(),
    result: p.json<Record<string, unknown>>().nullable(),
    /** A hub error code when it failed (`channel_not_ready`, `linked_device_send_failed`, …). */
    errorCode: p.string().length(64).nullable(),
    errorMessage: p.text().nullable(),
  },
  indexes: [
    { name: 'linked_device_commands_open_index', properties: ['sessionId', 'id'], where: 'done_at is null' },
  ],
});

export class LinkedDeviceCommand extends LinkedDeviceCommandSchema.class {}
LinkedDeviceCommandSchema.setClass(LinkedDeviceCommand);
