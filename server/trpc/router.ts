import { apiKeyOperations } from '../api/operations/api-keys.ts';
import { channelOperations } from '../api/operations/channels.ts';
import { clientOperations } from '../api/operations/clients.ts';
import { onboardingSessionOperations } from '../api/operations/onboarding-sessions.ts';
import { partnerOperations } from '../api/operations/partners.ts';
import { tokenOperations } from '../api/operations/tokens.ts';
import { webhookEndpointOperations } from '../api/operations/webhook-endpoints.ts';
import { webhookDeliveryOperations, webhookEventOperations } from '../api/operations/webhook-log.ts';
import { proceduresFrom } from './procedure-from.ts';
import { createCallerFactory, router } from './trpc.ts';

/**
 * The partner API over tRPC: every procedure is an operation of `api/operations/`, named by
 * its key in its group (`webhookEndpointOperations.rotateSecret` is `webhooks.endpoints.rotateSecret`).
 */
export const appRouter = router({
  partner: router(proceduresFrom(partnerOperations)),
  clients: router(proceduresFrom(clientOperations)),
  channels: router(proceduresFrom(channelOperations)),
  apiKeys: router(proceduresFrom(apiKeyOperations)),
  onboarding: router(proceduresFrom(onboardingSessionOperations)),
  tokens: router(proceduresFrom(tokenOperations)),
  webhooks: router({
    endpoints: router(proceduresFrom(webhookEndpointOperations)),
    events: router(proceduresFrom(webhookEventOperations)),
    deliveries: router(proceduresFrom(webhookDeliveryOperations)),
  }),
});

/** Imported by `client/` for end-to-end types; there is no codegen step. */
export type AppRouter = typeof appRouter;

/** Calls procedures in-process (tests, and the hosted pages later) with a context built by createContextInner. */
export const createCaller = createCallerFactory(appRouter);
