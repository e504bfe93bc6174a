import type { SecretBox } from '../../crypto/secret-box.ts';
import { validHeaders } from '../../http/header-fields.ts';
import { SEALED, type SealedOwner, unseal } from '../secrets/sealed-columns.ts';

export type { SealedOwner };

/** The associated data of a destination's signing secret, from the registry (secrets/sealed-columns.ts). */
export function secretContext(owner: SealedOwner, which: 'current' | 'previous'): string {
  return (which === 'current' ? SEALED.destinationSecret : SEALED.destinationPreviousSecret).context(owner);
}

export interface SealedSecrets {
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: Date | null;
}

/** The secrets to sign with now: the current one, and the previous one during its overlap window. */
export function signingSecrets(box: SecretBox, owner: SealedOwner & SealedSecrets, now: Date): string[] {
  const secrets = [unseal(box, SEALED.destinationSecret, owner, owner.secretSealed)];
  if (owner.previousSecretSealed && owner.previousSecretExpiresAt && owner.previousSecretExpiresAt > now)
    secrets.push(unseal(box, SEALED.destinationPreviousSecret, owner, owner.previousSecretSealed));
  return secrets;
}

export function extraHeaders(
  box: SecretBox,
  owner: SealedOwner & { headersSealed: string | null },
): Record<string, string> {
  if (!owner.headersSealed) return {};
  return validHeaders(JSON.parse(unseal(box, SEALED.destinationHeaders, owner, owner.headersSealed)));
}
