import { apiKeysRouter } from './routers/api-keys/index.ts';
import { channelsRouter } from './routers/channels/index.ts';
import { clientsRouter } from './routers/clients/index.ts';
import { onboardingRouter } from './routers/onboarding/index.ts';
import { partnerRouter } from './routers/partner/index.ts';
import { tokensRouter } from './routers/tokens/index.ts';
import { webhooksRouter } from './routers/webhooks/index.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  partner: partnerRouter,
  clients: clientsRouter,
  channels: channelsRouter,
  apiKeys: apiKeysRouter,
  onboarding: onboardingRouter,
  tokens: tokensRouter,
  webhooks: webhooksRouter,
});

/** Imported by `client/` for end-to-end types; there is no codegen step. */
export type AppRouter = typeof appRouter;

/** Calls procedures in-process (tests, and the hosted pages later) with a context built by createContextInner. */
export const createCaller = createCallerFactory(appRouter);
