import type { Operation } from '../operation.ts';
import { apiKeyOperations } from './api-keys.ts';
import { channelOperations } from './channels.ts';
import { clientOperations } from './clients.ts';
import { partnerOperations } from './partners.ts';
import { tokenOperations } from './tokens.ts';

/** Every partner-authenticated REST operation under /api/v2. */
export const partnerApiOperations: Operation[] = [
  ...partnerOperations,
  ...tokenOperations,
  ...clientOperations,
  ...channelOperations,
  ...apiKeyOperations,
] as Operation[];
