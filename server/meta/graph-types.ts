import { z } from 'zod';

/** Graph response shapes we read. Loose objects: Meta adds fields over time and we must not break. */

export const TokenExchangeSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().optional(),
});
export type TokenExchange = z.infer<typeof TokenExchangeSchema>;

/** `GET /{app-id}?fields=id,name`. */
export const AppInfoSchema = z.looseObject({ id: z.string(), name: z.string().optional() });

export const DebugTokenSchema = z.looseObject({
  data: z.looseObject({
    app_id: z.string().optional(),
    is_valid: z.boolean(),
    expires_at: z.number().optional(),
    scopes: z.array(z.string()).optional(),
    granular_scopes: z
      .array(z.looseObject({ scope: z.string(), target_ids: z.array(z.string()).optional() }))
      .optional(),
    error: z.looseObject({ code: z.number().optional(), message: z.string().optional() }).optional(),
  }),
});
export type DebugToken = z.infer<typeof DebugTokenSchema>['data'];

export const HealthStatusSchema = z.looseObject({
  can_send_message: z.string(),
  entities: z
    .array(z.looseObject({ entity_type: z.string(), id: z.string(), can_send_message: z.string() }))
    .optional(),
});
export type HealthStatus = z.infer<typeof HealthStatusSchema>;

export const PhoneNumberSchema = z.looseObject({
  id: z.string(),
  display_phone_number: z.string().optional(),
  verified_name: z.string().optional(),
  quality_rating: z.string().optional(),
  status: z.string().optional(),
  name_status: z.string().optional(),
  code_verification_status: z.string().optional(),
  platform_type: z.string().optional(),
  is_on_biz_app: z.boolean().optional(),
  health_status: HealthStatusSchema.optional(),
});
export type PhoneNumber = z.infer<typeof PhoneNumberSchema>;

export const PhoneNumberListSchema = z.looseObject({ data: z.array(PhoneNumberSchema) });

export const SuccessSchema = z.looseObject({ success: z.boolean() });

/** `POST /{phone_number_id}/smb_app_data`: the sync was accepted; its data comes as webhooks. */
export const SmbAppDataSchema = z.looseObject({ request_id: z.string() });

/** The fields provisioning and health read from a phone number. */
export const PHONE_NUMBER_FIELDS = [
  'display_phone_number',
  'verified_name',
  'quality_rating',
  'status',
  'name_status',
  'code_verification_status',
  'platform_type',
  'is_on_biz_app',
] as const;

/** One message template as `GET /{waba_id}/message_templates` lists it. */
export const MessageTemplateSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  language: z.string(),
  status: z.string(),
  category: z.string(),
  components: z.array(z.unknown()).optional(),
  quality_score: z.looseObject({ score: z.string().optional() }).optional(),
  rejected_reason: z.string().optional(),
});
export type MessageTemplate = z.infer<typeof MessageTemplateSchema>;

/** A page of templates; `paging.next` is present while there are more (then `cursors.after` reads on). */
export const MessageTemplatePageSchema = z.looseObject({
  data: z.array(MessageTemplateSchema),
  paging: z
    .looseObject({
      cursors: z.looseObject({ before: z.string().optional(), after: z.string().optional() }).optional(),
      next: z.string().optional(),
    })
    .optional(),
});
export type MessageTemplatePage = z.infer<typeof MessageTemplatePageSchema>;

/** The fields the hub's template cache keeps. */
export const MESSAGE_TEMPLATE_FIELDS = [
  'id',
  'name',
  'language',
  'status',
  'category',
  'components',
  'quality_score',
  'rejected_reason',
] as const;
