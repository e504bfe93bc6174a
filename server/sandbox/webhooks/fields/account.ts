/**
 * WABA and portfolio fields (`account_review_update`, `account_alerts`,
 * `business_capability_update`; `account_update` is in ../payloads.ts) in the shapes of Meta's
 * webhook reference: sent only to the app's callback.
 */

/** `decision`: APPROVED, REJECTED, PENDING or DEFERRED. */
export function accountReviewValue(decision = 'APPROVED'): Record<string, unknown> {
  return { decision };
}

/** `alert_type`: e.g. INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED, OBA_APPROVED, PROFILE_PICTURE_LOST. */
export function accountAlertValue(
  wabaId: string,
  alertType = 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
): Record<string, unknown> {
  return {
    entity_type: 'WABA',
    entity_id: wabaId,
    alert_info: {
      alert_severity: alertType.startsWith('OBA_APPROVED') ? 'INFORMATIONAL' : 'WARNING',
      alert_status: 'ACTIVE',
      alert_type: alertType,
      alert_description: `Sandbox alert ${alertType}`,
    },
  };
}

/** The portfolio's messaging limit (250, 2000, 10000, 100000, -1 unlimited) and number limits. */
export function businessCapabilityValue(maxDaily = 2000, maxPhones = 2): Record<string, unknown> {
  return {
    max_daily_conversations_per_business: maxDaily,
    max_phone_numbers_per_business: maxPhones,
    max_phone_numbers_per_waba: maxPhones,
  };
}
