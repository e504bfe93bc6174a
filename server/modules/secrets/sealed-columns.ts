import type { WebhookDestinationKind } from '../../../shared/statuses.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';

/**
 * Every column holding SecretBox ciphertext, with the associated data each value is bound to.
 * Values are sealed and opened only through `seal` and `unseal`, which take a column from this
 * registry (lint refuses SecretBox.encrypt/decrypt anywhere else in server/), so a column that is
 * not listed here cannot be sealed, and `secrets reencrypt` (which walks this list) misses none.
 */

type Row = Record<string, string | null>;

const registered = Symbol('sealed column');

export interface SealedColumn<Owner> {
  readonly table: string;
  readonly column: string;
  /** Set when the column is JSON holding the ciphertext under this key, e.g. `{"sealed": "v1.…"}`. */
  readonly jsonKey?: string;
  /** The row's primary key, `id` unless the table has a composite one: re-encryption pages by it. */
  readonly keyColumns: readonly string[];
  /** Columns besides the key that `ownerOfRow` needs: re-encryption selects them. */
  readonly contextColumns: readonly string[];
  /** The owner a stored row stands for (re-encryption works on rows). */
  ownerOfRow(row: Row): Owner;
  /** The associated data a value is bound to: a ciphertext copied onto another row or column fails to open. */
  context(owner: Owner): string;
  readonly [registered]: true;
}

function sealedColumn<Owner>(
  definition: Omit<SealedColumn<Owner>, typeof registered | 'contextColumns' | 'keyColumns'> & {
    contextColumns?: string[];
    keyColumns?: string[];
  },
): SealedColumn<Owner> {
  return { keyColumns: ['id'], contextColumns: [], ...definition, [registered]: true };
}

/** What decides which associated data a webhook destination's sealed values are bound to. */
export interface SealedOwner {
  id: string;
  kind: WebhookDestinationKind;
  partnerId: string;
  permissionId: string | null;
}

/** One entry of a linked device's auth store. */
export interface LinkedDeviceKey {
  sessionId: string;
  category: string;
  keyId: string;
}

const destinationOwner = (row: Row): SealedOwner => ({
  id: row.id!,
  kind: row.kind as SealedOwner['kind'],
  partnerId: row.partner_id!,
  permissionId: row.permission_id ?? null,
});
const DESTINATION_COLUMNS = ['kind', 'partner_id', 'permission_id'];
const rowId = (row: Row): string => row.id!;

export const SEALED = {
  /**
   * A partner's primary webhook and its channel webhooks sign with the partner's own `whsec_`
   * secret (the one shown when the partner was created), so their sealed copies are bound to the
   * partner; an extra endpoint has a secret of its own, bound to the endpoint.
   */
  destinationSecret: sealedColumn({
    table: 'webhook_destinations',
    column: 'secret_sealed',
    contextColumns: DESTINATION_COLUMNS,
    ownerOfRow: destinationOwner,
    context: (o: SealedOwner) =>
      o.kind === 'endpoint' ? `webhook_endpoint:${o.id}:secret` : `partner:${o.partnerId}:webhook_secret`,
  }),
  destinationPreviousSecret: sealedColumn({
    table: 'webhook_destinations',
    column: 'previous_secret_sealed',
    contextColumns: DESTINATION_COLUMNS,
    ownerOfRow: destinationOwner,
    context: (o: SealedOwner) =>
      o.kind === 'endpoint'
        ? `webhook_endpoint:${o.id}:previous_secret`
        : `partner:${o.partnerId}:previous_webhook_secret`,
  }),
  /** Channel webhook headers are set per grant; a destination of another kind binds them to itself. */
  destinationHeaders: sealedColumn({
    table: 'webhook_destinations',
    column: 'headers_sealed',
    contextColumns: DESTINATION_COLUMNS,
    ownerOfRow: destinationOwner,
    context: (o: SealedOwner) =>
      o.permissionId ? `permission:${o.permissionId}:webhook_headers` : `webhook_destination:${o.id}:headers`,
  }),
  /** Meta business token; owner: the channel id. */
  channelMetaToken: sealedColumn({
    table: 'channels',
    column: 'meta_token_sealed',
    ownerOfRow: rowId,
    context: (channelId: string) => `channel:${channelId}:meta_token`,
  }),
  /** The two-step verification PIN the hub registered the number with; owner: the channel id. */
  channelRegistrationPin: sealedColumn({
    table: 'channels',
    column: 'registration_pin_sealed',
    ownerOfRow: rowId,
    context: (channelId: string) => `channel:${channelId}:registration_pin`,
  }),
  /** An onboarding session's tenant webhook verify token; owner: the session id. */
  onboardingWebhookVerifyToken: sealedColumn({
    table: 'onboarding_sessions',
    column: 'webhook_verify_token_sealed',
    ownerOfRow: rowId,
    context: (sessionId: string) => `onboarding_session:${sessionId}:webhook_verify_token`,
  }),
  /** An onboarding session's outgoing webhook secret (the partner's choice); owner: the session id. */
  onboardingWebhookSecret: sealedColumn({
    table: 'onboarding_sessions',
    column: 'webhook_secret_sealed',
    ownerOfRow: rowId,
    context: (sessionId: string) => `onboarding_session:${sessionId}:webhook_secret`,
  }),
  /**
   * The response an `Idempotency-Key` replays (it can hold credentials shown once: new tokens,
   * keys, webhook secrets), stored as `{"sealed": "v1.…"}`; owner: the key's row id.
   */
  idempotencyResponseBody: sealedColumn({
    table: 'idempotency_keys',
    column: 'response_body',
    jsonKey: 'sealed',
    ownerOfRow: rowId,
    context: (keyId: string) => `idempotency_key:${keyId}:response_body`,
  }),
  /** A console user's TOTP secret (base32); owner: the user's id. */
  consoleUserTotp: sealedColumn({
    table: 'console_users',
    column: 'totp_secret_sealed',
    ownerOfRow: rowId,
    context: (userId: string) => `console_user:${userId}:totp_secret`,
  }),
  /**
   * A linked device's credentials and Signal keys (`DeviceAuthStore`), one row per key: each
   * value is bound to its session, category and key id, so a key cannot be replayed as another.
   */
  linkedDeviceAuthValue: sealedColumn({
    table: 'linked_device_auth',
    column: 'value_sealed',
    keyColumns: ['session_id', 'category', 'key_id'],
    ownerOfRow: (row: Row): LinkedDeviceKey => ({
      sessionId: row.session_id!,
      category: row.category!,
      keyId: row.key_id!,
    }),
    // JSON, not colons: key ids hold colons (`<jid>.<device>`), and the tuple must stay unambiguous.
    context: (o: LinkedDeviceKey) => `linked_device:${JSON.stringify([o.sessionId, o.category, o.keyId])}`,
  }),
} as const;

/** Every sealed column in the schema, for key rotation. */
export const SEALED_COLUMNS: readonly SealedColumn<unknown>[] = Object.values(SEALED);

/** Seals `plaintext` for `column` of the row `owner` stands for. */
export function seal<Owner>(
  box: SecretBox,
  column: SealedColumn<Owner>,
  owner: Owner,
  plaintext: string,
): string {
  return box.encrypt(plaintext, column.context(owner));
}

/** Opens a value sealed for `column` of the row `owner` stands for. */
export function unseal<Owner>(
  box: SecretBox,
  column: SealedColumn<Owner>,
  owner: Owner,
  sealed: string,
): string {
  return box.decrypt(sealed, column.context(owner));
}
