/**
 * The `flows` field in the shapes of Meta's webhook reference (WABA-level, app callback only):
 * FLOW_STATUS_CHANGE, CLIENT_ERROR_RATE, ENDPOINT_ERROR_RATE, ENDPOINT_LATENCY,
 * ENDPOINT_AVAILABILITY.
 */
export function flowValue(event = 'FLOW_STATUS_CHANGE', flowId = '987654321012345'): Record<string, unknown> {
  if (event === 'FLOW_STATUS_CHANGE') {
    return {
      event,
      message: 'Flow Sandbox flow changed status from DRAFT to PUBLISHED',
      flow_id: flowId,
      old_status: 'DRAFT',
      new_status: 'PUBLISHED',
    };
  }
  return {
    event,
    message: `Sandbox ${event} alert`,
    flow_id: flowId,
    alert_state: 'ACTIVATED',
    threshold: 10,
    error_rate: 12.5,
  };
}
