import type { Operation } from '../operation.ts';
import { apiKeyOperations } from './api-keys.ts';
import { auditOperations } from './audit.ts';
import { billingOperations } from './billing.ts';
import { channelOperations } from './channels.ts';
import { clientOperations } from './clients.ts';
import { linkedDeviceOperations } from './linked-devices.ts';
import { onboardingSessionOperations } from './onboarding-sessions.ts';
import { partnerOperations } from './partners.ts';
import { portalLinkOperations } from './portal-links.ts';
import { templateOperations } from './templates.ts';
import { tokenOperations } from './tokens.ts';
import { usageOperations } from './usage.ts';
import { webhookEndpointOperations } from './webhook-endpoints.ts';
import { webhookDeliveryOperations, webhookEventOperations } from './webhook-log.ts';

/**
 * The partner API's names: tRPC serves `partnerApi.webhooks.endpoints.rotateSecret` as
 * `webhooks.endpoints.rotateSecret`, and the SDK's generated REST helpers (`rest.api`) carry the
 * same names.
 */
export const partnerApi = {
  partner: partnerOperations,
  clients: { ...clientOperations, ...portalLinkOperations },
  channels: channelOperations,
  apiKeys: apiKeyOperations,
  onboarding: onboardingSessionOperations,
  linkedDevices: linkedDeviceOperations,
  tokens: tokenOperations,
  usage: usageOperations,
  templates: templateOperations,
  audit: auditOperations,
  billing: billingOperations,
  webhooks: {
    endpoints: webhookEndpointOperations,
    events: webhookEventOperations,
    deliveries: webhookDeliveryOperations,
  },
};

export type PartnerApi = typeof partnerApi;

/** Every operation with its dotted name, in REST mounting order. */
export function namedOperations(): [string, Operation][] {
  const walk = (tree: object, prefix: string): [string, Operation][] =>
    Object.entries(tree).flatMap(([key, value]) =>
      'operationId' in value ? [[`${prefix}${key}`, value as Operation]] : walk(value, `${prefix}${key}.`),
    );
  const { partner, tokens, ...rest } = partnerApi;
  // Mounting order matters where Express paths overlap: the partner's own routes first.
  return walk({ partner, tokens, ...rest }, '');
}

/** Every partner operation, in REST mounting order. */
export const partnerApiOperations: Operation[] = namedOperations().map(([, op]) => op);
