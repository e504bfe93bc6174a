/**
 * Template fields (`message_template_status_update`, `message_template_quality_update`,
 * `message_template_components_update`, `template_category_update`) in the shapes of Meta's
 * webhook reference: WABA-level, sent only to the app's callback.
 */
export interface TemplateRef {
  id: string;
  name: string;
  language: string;
}

export const DEFAULT_TEMPLATE: TemplateRef = {
  id: '1234567890123456',
  name: 'order_update',
  language: 'en_US',
};

function ref(t: TemplateRef) {
  // Meta sends the template id as a number.
  return {
    message_template_id: Number(t.id),
    message_template_name: t.name,
    message_template_language: t.language,
  };
}

/** `event`: APPROVED, REJECTED, PENDING, PAUSED, DISABLED, FLAGGED, IN_APPEAL, PENDING_DELETION, ARCHIVED, … */
export function templateStatusValue(t: TemplateRef, event = 'APPROVED'): Record<string, unknown> {
  const value: Record<string, unknown> = {
    event,
    ...ref(t),
    reason: event === 'REJECTED' ? 'INVALID_FORMAT' : 'NONE',
    message_template_category: 'UTILITY',
  };
  if (event === 'DISABLED') value.disable_info = { disable_date: Math.floor(Date.now() / 1000) };
  return value;
}

/** A quality score change: GREEN, YELLOW, RED or UNKNOWN. */
export function templateQualityValue(t: TemplateRef, score = 'YELLOW'): Record<string, unknown> {
  return { previous_quality_score: 'GREEN', new_quality_score: score, ...ref(t) };
}

export function templateComponentsValue(t: TemplateRef): Record<string, unknown> {
  return {
    ...ref(t),
    message_template_element: 'Your order {{1}} has shipped.',
    message_template_title: 'Order update',
    message_template_footer: 'Reply STOP to opt out',
    message_template_buttons: [
      {
        message_template_button_type: 'URL',
        message_template_button_text: 'Track',
        message_template_button_url: 'https://example.com/track/{{1}}',
      },
    ],
  };
}

/** Meta recategorised the template (e.g. UTILITY → MARKETING). */
export function templateCategoryValue(t: TemplateRef, category = 'MARKETING'): Record<string, unknown> {
  return { ...ref(t), previous_category: 'UTILITY', new_category: category };
}
