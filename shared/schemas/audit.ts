import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { AUDIT_ACTOR_TYPES } from '../statuses.ts';
import { NextCursorSchema, PaginationQuerySchema, TimestampSchema } from './common.ts';
import { safeString } from './safe-text.ts';

export const AuditEntryViewSchema = z
  .object({
    id: idSchema('auditLog'),
    /** Who acted: one of your tokens or channel keys, a client user on the hosted pages, the operator or the hub. */
    actor_type: z.enum(AUDIT_ACTOR_TYPES),
    /** The credential or user that acted (`ptk_…` token id, `key_…` key id, user id), null for the hub itself. */
    actor_id: safeString().nullable(),
    action: safeString(),
    target_type: safeString().nullable(),
    target_id: safeString().nullable(),
    request_id: safeString().nullable(),
    /** The caller's address: only for your own credentials (tokens and keys), null otherwise. */
    ip: safeString().nullable(),
    user_agent: safeString().nullable(),
    details: z.record(safeString(), z.unknown()).nullable(),
    created_at: TimestampSchema,
  })
  .meta({ id: 'AuditEntry' });

export type AuditEntryView = z.infer<typeof AuditEntryViewSchema>;

export const AuditListQuerySchema = PaginationQuerySchema.extend({
  action: safeString()
    .max(100)
    .optional()
    .meta({ description: 'Exact action, e.g. `channel.secrets_revealed`' }),
  action_prefix: safeString()
    .max(100)
    .optional()
    .meta({ description: 'Actions starting with this, e.g. `api_key.`' }),
  actor_type: z.enum(AUDIT_ACTOR_TYPES).optional(),
  actor_id: safeString().max(64).optional(),
  target_id: safeString().max(64).optional(),
  since: z.iso.datetime().optional().meta({ description: 'Entries at or after this time' }),
  until: z.iso.datetime().optional().meta({ description: 'Entries before this time' }),
}).strict();

export type AuditListQuery = z.infer<typeof AuditListQuerySchema>;

export const AuditPageSchema = z
  .object({ entries: z.array(AuditEntryViewSchema), next_cursor: NextCursorSchema })
  .meta({ id: 'AuditPage' });
