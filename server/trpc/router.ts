import { partnerApi } from '../api/operations/index.ts';
import { proceduresFrom } from './procedure-from.ts';
import { createCallerFactory, router } from './trpc.ts';

const { webhooks, billing } = partnerApi;

/**
 * The partner API over tRPC: every procedure is an operation of `api/operations/`, named as
 * `partnerApi` names it (`partnerApi.webhooks.endpoints.rotateSecret` is `webhooks.endpoints.rotateSecret`).
 */
export const appRouter = router({
  partner: router(proceduresFrom(partnerApi.partner)),
  clients: router(proceduresFrom(partnerApi.clients)),
  channels: router(proceduresFrom(partnerApi.channels)),
  apiKeys: router(proceduresFrom(partnerApi.apiKeys)),
  onboarding: router(proceduresFrom(partnerApi.onboarding)),
  linkedDevices: router(proceduresFrom(partnerApi.linkedDevices)),
  tokens: router(proceduresFrom(partnerApi.tokens)),
  usage: router(proceduresFrom(partnerApi.usage)),
  templates: router(proceduresFrom(partnerApi.templates)),
  audit: router(proceduresFrom(partnerApi.audit)),
  billing: router({
    ...proceduresFrom({ get: billing.get, balance: billing.balance }),
    statements: router(proceduresFrom(billing.statements)),
  }),
  webhooks: router({
    endpoints: router(proceduresFrom(webhooks.endpoints)),
    events: router(proceduresFrom(webhooks.events)),
    deliveries: router(proceduresFrom(webhooks.deliveries)),
  }),
});

/** Imported by `client/` for end-to-end types; there is no codegen step. */
export type AppRouter = typeof appRouter;

/** Calls procedures in-process (tests, and the hosted pages later) with a context built by createContextInner. */
export const createCaller = createCallerFactory(appRouter);
