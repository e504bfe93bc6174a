import { channelSecretContext } from '../channels/channel-secrets.ts';
import { onboardingSecretContext } from '../onboarding/onboarding-secrets.ts';
import { headersContext, type SealedOwner, secretContext } from '../webhooks/destination-secrets.ts';

/**
 * A column holding SecretBox ciphertext, and the associated data each row's value is bound to,
 * computed from the row's `id` and any `contextColumns` it needs.
 */
export interface SealedColumn {
  table: string;
  column: string;
  contextColumns?: string[];
  context(row: Record<string, string | null>): string;
}

const destinationOwner = (row: Record<string, string | null>): SealedOwner => ({
  id: row.id!,
  kind: row.kind as SealedOwner['kind'],
  partnerId: row.partner_id!,
  permissionId: row.permission_id ?? null,
});
const DESTINATION_COLUMNS = ['kind', 'partner_id', 'permission_id'];

/** Every sealed column in the schema. A new one must be listed here, or key rotation misses it. */
export const SEALED_COLUMNS: SealedColumn[] = [
  {
    table: 'webhook_destinations',
    column: 'secret_sealed',
    contextColumns: DESTINATION_COLUMNS,
    context: (row) => secretContext(destinationOwner(row), 'current'),
  },
  {
    table: 'webhook_destinations',
    column: 'previous_secret_sealed',
    contextColumns: DESTINATION_COLUMNS,
    context: (row) => secretContext(destinationOwner(row), 'previous'),
  },
  {
    table: 'webhook_destinations',
    column: 'headers_sealed',
    contextColumns: DESTINATION_COLUMNS,
    context: (row) => headersContext(destinationOwner(row)),
  },
  {
    table: 'channels',
    column: 'meta_token_sealed',
    context: (row) => channelSecretContext(row.id!, 'meta_token'),
  },
  {
    table: 'channels',
    column: 'registration_pin_sealed',
    context: (row) => channelSecretContext(row.id!, 'registration_pin'),
  },
  {
    table: 'onboarding_sessions',
    column: 'webhook_verify_token_sealed',
    context: (row) => onboardingSecretContext(row.id!),
  },
];
