/** The Partner Hub client: SDK, webhook verification and the permissions redirect parser. */

export { type PermissionsResult, parsePermissionsRedirect } from './permissions-redirect.ts';
export {
  createPartnerHubClient,
  errorCodeOf,
  type PartnerHubClient,
  type PartnerHubClientOptions,
  PartnerHubError,
} from './sdk.ts';
export { type HubEvent, verifyWebhook, verifyWebhookRaw, WebhookVerificationError } from './webhooks.ts';
