import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { SEALED, unseal } from '../secrets/sealed-columns.ts';
import { getChannelGrantedTo } from './channels.service.ts';

export const SECRET_TYPES = ['access_token', 'registration_pin'] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

/**
 * Hands a partner the channel's Meta secrets (for calling Graph directly). The audit row is
 * committed before anything is returned: no reveal goes unrecorded.
 */
export async function revealChannelSecrets(
  em: EntityManager,
  deps: { secretBox: SecretBox; clock: Clock },
  partner: Partner,
  channelId: string,
  secretTypes: SecretType[],
  actor: Actor,
): Promise<{ channel_id: string; secrets: Partial<Record<SecretType, string | null>>; revealed_at: string }> {
  const channel = await getChannelGrantedTo(em, partner, channelId);
  const sealed: Record<SecretType, string | null | undefined> = {
    access_token: channel.metaTokenSealed,
    registration_pin: channel.registrationPinSealed,
  };
  const column = {
    access_token: SEALED.channelMetaToken,
    registration_pin: SEALED.channelRegistrationPin,
  } satisfies Record<SecretType, unknown>;
  const secrets: Partial<Record<SecretType, string | null>> = {};
  for (const type of new Set(secretTypes)) {
    const value = sealed[type];
    secrets[type] = value ? unseal(deps.secretBox, column[type], channel.id, value) : null;
  }
  const now = deps.clock.now();
  recordAudit(em, actor, {
    partner,
    action: 'channel.secrets_revealed',
    target: { type: 'channel', id: channel.id },
    details: { secret_types: [...new Set(secretTypes)] },
  });
  await em.flush();
  return { channel_id: channel.id, secrets, revealed_at: now.toISOString() };
}
