/** The Partner Hub client: SDK, webhook verification and the permissions redirect parser. */

export type { AppRouter, EventDataByType } from './contract.ts';
export { type PermissionsResult, parsePermissionsRedirect } from './permissions-redirect.ts';
export {
  createPartnerHubClient,
  errorCodeOf,
  type Inputs,
  type Outputs,
  type PartnerHubClient,
  type PartnerHubClientOptions,
  PartnerHubError,
  type RestApi,
} from './sdk.ts';
export {
  type EventType,
  type HubEvent,
  verifyWebhook,
  verifyWebhookRaw,
  WebhookVerificationError,
} from './webhooks.ts';
