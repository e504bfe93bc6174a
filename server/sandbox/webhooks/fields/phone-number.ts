/**
 * Number-level fields (`phone_number_quality_update`, `phone_number_name_update`, `security`)
 * in the shapes of Meta's webhook reference: they name the number by `display_phone_number`,
 * under the WABA's entry, and are sent only to the app's callback.
 */

/**
 * `event`: FLAGGED, UNFLAGGED, DOWNGRADE, UPGRADE, ONBOARDING, THROUGHPUT_UPGRADE;
 * `current_limit` (deprecated by Meta, still sent) and `max_daily_conversations_per_business`:
 * TIER_50, TIER_250, TIER_2K, TIER_10K, TIER_100K, TIER_UNLIMITED, TIER_NOT_SET.
 */
export function phoneQualityValue(displayPhoneNumber: string, event = 'UPGRADE', limit = 'TIER_10K') {
  const value: Record<string, unknown> = {
    display_phone_number: displayPhoneNumber,
    event,
    current_limit: limit,
    max_daily_conversations_per_business: limit,
  };
  if (event === 'UPGRADE' || event === 'DOWNGRADE') value.old_limit = 'TIER_2K';
  return value;
}

/** `decision`: APPROVED, REJECTED or DEFERRED. */
export function phoneNameValue(displayPhoneNumber: string, decision = 'APPROVED', name = 'Sandbox Business') {
  return {
    display_phone_number: displayPhoneNumber,
    decision,
    requested_verified_name: name,
    rejection_reason: decision === 'REJECTED' ? 'NAME_FORMAT_UNACCEPTABLE' : null,
  };
}

/** `event`: PIN_CHANGED, PIN_RESET_REQUEST, PIN_RESET_SUCCESS. */
export function securityValue(displayPhoneNumber: string, event = 'PIN_CHANGED') {
  return { display_phone_number: displayPhoneNumber, event, requester: '1234567890' };
}
