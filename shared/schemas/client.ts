import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { BILLING_STATUSES, CLIENT_STATUSES, PAYMENT_MODELS } from '../statuses.ts';
import { NextCursorSchema, PaginationQuerySchema, TimestampSchema } from './common.ts';
import { safeString } from './safe-text.ts';

export const ClientViewSchema = z
  .object({
    id: idSchema('client'),
    partner_id: idSchema('partner'),
    name: safeString().nullable(),
    external_id: safeString().nullable().meta({ description: "The partner's own id for this client" }),
    partner_payload: safeString().nullable().meta({ description: 'Free text the partner attached' }),
    status: z.enum(CLIENT_STATUSES),
    payment_model: z
      .enum(PAYMENT_MODELS)
      .meta({ description: 'Who pays for its messaging, as when it signed up' }),
    billing_status: z.enum(BILLING_STATUSES).meta({
      description:
        'Direct Payment: `past_due` after a failed payment, `suspended` (sends refused) after the grace period',
    }),
    terms_version: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The terms of service version it accepted' }),
    price_list_version: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The price list version it accepted (Direct Payment)' }),
    terms_accepted_at: TimestampSchema.nullable(),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .meta({ id: 'Client' });

export type ClientView = z.infer<typeof ClientViewSchema>;

export const ClientListQuerySchema = PaginationQuerySchema.extend({
  status: z.enum(CLIENT_STATUSES).optional(),
  external_id: safeString().max(200).optional(),
  q: safeString().trim().min(1).max(200).optional().meta({
    description:
      'Search: clients whose name or external_id starts with this, ignoring case (a prefix, not a substring)',
  }),
  created_after: z.iso
    .datetime()
    .optional()
    .meta({ description: 'Only clients created at or after this time' }),
  created_before: z.iso.datetime().optional().meta({ description: 'Only clients created before this time' }),
}).strict();

export type ClientListQuery = z.infer<typeof ClientListQuerySchema>;

export const ClientPageSchema = z
  .object({ clients: z.array(ClientViewSchema), next_cursor: NextCursorSchema })
  .meta({ id: 'ClientPage' });

export const MAX_PARTNER_PAYLOAD_LENGTH = 4096;

export const ClientUpdateSchema = z
  .strictObject({
    partner_payload: safeString().max(MAX_PARTNER_PAYLOAD_LENGTH).nullable(),
  })
  .meta({ id: 'ClientUpdate' });
