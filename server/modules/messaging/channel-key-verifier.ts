import type { MikroORM } from '@mikro-orm/postgresql';
import type { BillingStatus, ChannelConnectionType, ChannelStatus } from '../../../shared/statuses.ts';
import { CREDENTIAL_CACHE_TTL_MS, CredentialCache } from '../../auth/credential-cache.ts';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { hashToken, isWellFormedToken, TOKEN_PREFIXES } from '../../crypto/tokens.ts';
import { query, run } from '../../db/sql.ts';
import { SEALED, unseal } from '../secrets/sealed-columns.ts';

/** What a valid channel API key may act on. */
export interface ChannelKeyGrant {
  keyId: string;
  partnerId: string;
  permissionId: string;
  channelId: string;
  clientId: string;
  phoneNumberId: string;
  wabaId: string;
  status: ChannelStatus;
  /** Coexistence numbers (shared with the WhatsApp Business app) send at most 20 messages/s. */
  connectionType: ChannelConnectionType;
  /** What Meta last reported about the channel (for health). */
  statusReason: string | null;
  qualityRating: string | null;
  currentLimit: string | null;
  nameStatus: string | null;
  wabaSubscribed: boolean;
  /** Meta sends the WABA's messages to the tenant's override callback, not to the hub. */
  webhookOverridden: boolean;
  /** The channel's business token, decrypted; null if the hub holds none. */
  metaToken: string | null;
  metaTokenInvalid: boolean;
  /** Direct Payment: `suspended` once a payment is overdue past the grace period (sends refused). */
  billingStatus: BillingStatus;
  pastDueSince: Date | null;
}

/**
 * A key is cached for under a second (the shared credential cache of `server/auth/`): revoking
 * it (or the permission behind it, or suspending the client) takes effect within 1 s on every
 * process, while a busy app does not cost a query per message. Misses are cached too, so a
 * flood of bad keys does not reach the database either.
 */
export const KEY_CACHE_TTL_MS = CREDENTIAL_CACHE_TTL_MS;

interface Row {
  key_id: string;
  partner_id: string;
  permission_id: string;
  channel_id: string;
  client_id: string;
  phone_number_id: string;
  waba_id: string;
  status: ChannelStatus;
  connection_type: ChannelConnectionType;
  status_reason: string | null;
  quality_rating: string | null;
  current_limit: string | null;
  name_status: string | null;
  waba_subscribed_at: Date | null;
  webhook_overridden: boolean;
  meta_token_sealed: string | null;
  meta_token_invalid_at: Date | null;
  last_used_at: Date | null;
  billing_status: BillingStatus;
  past_due_since: Date | null;
}

export class ChannelKeyVerifier {
  readonly #orm: MikroORM;
  readonly #secretBox: SecretBox;
  readonly #clock: Clock;
  readonly #cache = new CredentialCache<ChannelKeyGrant>();

  constructor(deps: { orm: MikroORM; secretBox: SecretBox; clock: Clock }) {
    this.#orm = deps.orm;
    this.#secretBox = deps.secretBox;
    this.#clock = deps.clock;
  }

  async verify(apiKey: string): Promise<ChannelKeyGrant | null> {
    // A mistyped or made-up key fails its checksum: no cache entry, no query.
    if (!isWellFormedToken(apiKey, TOKEN_PREFIXES.channelApiKey)) return null;
    return this.#cache.get(hashToken(apiKey), (hash) => this.#load(hash));
  }

  /** Forget a key now (this process); other processes follow within the TTL. */
  forget(apiKey: string): void {
    this.#cache.forget(hashToken(apiKey));
  }

  async #load(hash: string): Promise<ChannelKeyGrant | null> {
    const now = this.#clock.now();
    const rows = await query<Row>(
      this.#orm.em.fork(),
      `select k.id key_id, k.partner_id, p.id permission_id, c.id channel_id, c.client_id, c.phone_number_id,
              c.waba_id, c.status, c.connection_type, c.status_reason, c.quality_rating, c.current_limit, c.name_status, c.waba_subscribed_at,
              c.webhook_override_url is not null webhook_overridden, c.meta_token_sealed, c.meta_token_invalid_at, k.last_used_at,
              cl.billing_status, cl.past_due_since
         from channel_api_keys k
         join channels c on c.id = k.channel_id
         join clients cl on cl.id = c.client_id and cl.status = 'active'
         join permissions p on p.partner_id = k.partner_id and p.channel_id = k.channel_id and p.revoked_at is null
        where k.key_hash = ? and k.revoked_at is null and (k.expires_at is null or k.expires_at > ?)`,
      [hash, now],
    );
    const row = rows[0];
    const grant = row ? this.#toGrant(row) : null;
    if (row && (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000)) {
      // Coarse and off the request path: "last used" to the minute is what an operator needs.
      run(this.#orm.em.fork(), 'update channel_api_keys set last_used_at = ? where id = ?', [
        now,
        row.key_id,
      ]).catch(() => {});
    }
    return grant;
  }

  #toGrant(row: Row): ChannelKeyGrant {
    return {
      keyId: row.key_id,
      partnerId: row.partner_id,
      permissionId: row.permission_id,
      channelId: row.channel_id,
      clientId: row.client_id,
      phoneNumberId: row.phone_number_id,
      wabaId: row.waba_id,
      status: row.status,
      connectionType: row.connection_type,
      statusReason: row.status_reason,
      qualityRating: row.quality_rating,
      currentLimit: row.current_limit,
      nameStatus: row.name_status,
      wabaSubscribed: row.waba_subscribed_at !== null,
      webhookOverridden: row.webhook_overridden,
      metaToken: row.meta_token_sealed
        ? unseal(this.#secretBox, SEALED.channelMetaToken, row.channel_id, row.meta_token_sealed)
        : null,
      metaTokenInvalid: row.meta_token_invalid_at !== null,
      billingStatus: row.billing_status,
      pastDueSince: row.past_due_since === null ? null : new Date(row.past_due_since),
    };
  }
}
