import type { Operation } from '../operation.ts';
import { apiKeyOperations } from './api-keys.ts';
import { channelOperations } from './channels.ts';
import { clientOperations } from './clients.ts';
import { onboardingSessionOperations } from './onboarding-sessions.ts';
import { partnerOperations } from './partners.ts';
import { tokenOperations } from './tokens.ts';
import { webhookEndpointOperations } from './webhook-endpoints.ts';
import { webhookDeliveryOperations, webhookEventOperations } from './webhook-log.ts';

/** Every partner operation, in REST mounting order (tRPC names them in `trpc/router.ts`). */
export const partnerApiOperations: Operation[] = [
  ...Object.values(partnerOperations),
  ...Object.values(tokenOperations),
  ...Object.values(clientOperations),
  ...Object.values(channelOperations),
  ...Object.values(apiKeyOperations),
  ...Object.values(onboardingSessionOperations),
  ...Object.values(webhookEndpointOperations),
  ...Object.values(webhookEventOperations),
  ...Object.values(webhookDeliveryOperations),
] as Operation[];
