import type { Operation } from '../operation.ts';
import { apiKeyOperations } from './api-keys.ts';
import { channelOperations } from './channels.ts';
import { clientOperations } from './clients.ts';
import { onboardingSessionOperations } from './onboarding-sessions.ts';
import { partnerOperations } from './partners.ts';
import { tokenOperations } from './tokens.ts';
import { webhookEndpointOperations } from './webhook-endpoints.ts';
import { webhookLogOperations } from './webhook-log.ts';

/** Every partner-authenticated REST operation under /api/v2. */
export const partnerApiOperations: Operation[] = [
  ...partnerOperations,
  ...tokenOperations,
  ...clientOperations,
  ...channelOperations,
  ...apiKeyOperations,
  ...onboardingSessionOperations,
  ...webhookEndpointOperations,
  ...webhookLogOperations,
] as Operation[];
