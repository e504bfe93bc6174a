import { accountAlertValue, accountReviewValue, businessCapabilityValue } from './account.ts';
import { flowValue } from './flows.ts';
import { phoneNameValue, phoneQualityValue, securityValue } from './phone-number.ts';
import {
  DEFAULT_TEMPLATE,
  templateCategoryValue,
  templateComponentsValue,
  templateQualityValue,
  templateStatusValue,
} from './templates.ts';

/**
 * The fields Meta sends only to the app's callback that `POST /sandbox/control/webhooks/{field}`
 * emits (`account_update` has its own control route, with effects on the emulator).
 */
export const APP_ONLY_FIELDS = [
  'message_template_status_update',
  'message_template_quality_update',
  'message_template_components_update',
  'template_category_update',
  'account_review_update',
  'account_alerts',
  'business_capability_update',
  'phone_number_quality_update',
  'phone_number_name_update',
  'security',
  'flows',
] as const;
export type AppOnlyField = (typeof APP_ONLY_FIELDS)[number];

/** Fields about one number: the control call names the number, not only the WABA. */
export const PHONE_FIELDS: readonly AppOnlyField[] = [
  'phone_number_quality_update',
  'phone_number_name_update',
  'security',
];

export interface FieldInput {
  wabaId: string;
  /** The number's display digits, for number-level fields. */
  displayPhoneNumber?: string | undefined;
  /** The field's event, decision, score, category or alert type; Meta's common case when absent. */
  event?: string | undefined;
  /** For quality updates: the messaging limit tier; for capability updates: the daily limit (as a number). */
  limit?: string | number | undefined;
  /** phone_number_name_update: the name decided on (the pending request's). */
  name?: string | undefined;
}

/** The `value` of one change of `field`, in Meta's documented shape. */
export function fieldValue(field: AppOnlyField, input: FieldInput): Record<string, unknown> {
  const phone = input.displayPhoneNumber ?? '';
  const e = input.event;
  switch (field) {
    case 'message_template_status_update':
      return templateStatusValue(DEFAULT_TEMPLATE, e);
    case 'message_template_quality_update':
      return templateQualityValue(DEFAULT_TEMPLATE, e);
    case 'message_template_components_update':
      return templateComponentsValue(DEFAULT_TEMPLATE);
    case 'template_category_update':
      return templateCategoryValue(DEFAULT_TEMPLATE, e);
    case 'account_review_update':
      return accountReviewValue(e);
    case 'account_alerts':
      return accountAlertValue(input.wabaId, e);
    case 'business_capability_update':
      return businessCapabilityValue(typeof input.limit === 'number' ? input.limit : undefined);
    case 'phone_number_quality_update':
      return phoneQualityValue(phone, e, typeof input.limit === 'string' ? input.limit : undefined);
    case 'phone_number_name_update':
      return phoneNameValue(phone, e, input.name);
    case 'security':
      return securityValue(phone, e);
    case 'flows':
      return flowValue(e);
  }
}
