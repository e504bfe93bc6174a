import { channelSecretContext } from '../channels/channel-secrets.ts';
import { onboardingSecretContext } from '../onboarding/onboarding-secrets.ts';
import { permissionWebhookHeadersContext } from '../webhooks/channel-webhook.ts';
import { endpointSecretContext, partnerSecretContext } from '../webhooks/destination-secrets.ts';

/** A column holding SecretBox ciphertext, and the associated data each row's value is bound to. */
export interface SealedColumn {
  table: string;
  column: string;
  context(id: string): string;
}

/** Every sealed column in the schema. A new one must be listed here, or key rotation misses it. */
export const SEALED_COLUMNS: SealedColumn[] = [
  {
    table: 'partners',
    column: 'webhook_secret_sealed',
    context: (id) => partnerSecretContext(id, 'current'),
  },
  {
    table: 'partners',
    column: 'previous_webhook_secret_sealed',
    context: (id) => partnerSecretContext(id, 'previous'),
  },
  {
    table: 'webhook_endpoints',
    column: 'secret_sealed',
    context: (id) => endpointSecretContext(id, 'current'),
  },
  {
    table: 'webhook_endpoints',
    column: 'previous_secret_sealed',
    context: (id) => endpointSecretContext(id, 'previous'),
  },
  { table: 'channels', column: 'meta_token_sealed', context: (id) => channelSecretContext(id, 'meta_token') },
  {
    table: 'channels',
    column: 'registration_pin_sealed',
    context: (id) => channelSecretContext(id, 'registration_pin'),
  },
  { table: 'permissions', column: 'webhook_headers_sealed', context: permissionWebhookHeadersContext },
  { table: 'onboarding_sessions', column: 'webhook_verify_token_sealed', context: onboardingSecretContext },
];
