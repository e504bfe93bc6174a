import type { WebhookDestinationKind } from '../../../shared/statuses.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { validHeaders } from '../../http/header-fields.ts';

/** What decides which associated data a destination's sealed values are bound to. */
export interface SealedOwner {
  id: string;
  kind: WebhookDestinationKind;
  partnerId: string;
  permissionId: string | null;
}

/**
 * A partner's primary webhook and its channel webhooks sign with the partner's own `whsec_`
 * secret (the one shown when the partner was created), so their sealed copies are bound to the
 * partner; an extra endpoint has a secret of its own, bound to the endpoint.
 */
export function secretContext(owner: SealedOwner, which: 'current' | 'previous'): string {
  if (owner.kind === 'endpoint')
    return `webhook_endpoint:${owner.id}:${which === 'current' ? 'secret' : 'previous_secret'}`;
  return which === 'current'
    ? `partner:${owner.partnerId}:webhook_secret`
    : `partner:${owner.partnerId}:previous_webhook_secret`;
}

/** Channel webhook headers are set per grant; a destination of another kind would bind them to itself. */
export function headersContext(owner: SealedOwner): string {
  return owner.permissionId
    ? `permission:${owner.permissionId}:webhook_headers`
    : `webhook_destination:${owner.id}:headers`;
}

export interface SealedSecrets {
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: Date | null;
}

/** The secrets to sign with now: the current one, and the previous one during its overlap window. */
export function signingSecrets(box: SecretBox, owner: SealedOwner & SealedSecrets, now: Date): string[] {
  const secrets = [box.decrypt(owner.secretSealed, secretContext(owner, 'current'))];
  if (owner.previousSecretSealed && owner.previousSecretExpiresAt && owner.previousSecretExpiresAt > now)
    secrets.push(box.decrypt(owner.previousSecretSealed, secretContext(owner, 'previous')));
  return secrets;
}

export function extraHeaders(
  box: SecretBox,
  owner: SealedOwner & { headersSealed: string | null },
): Record<string, string> {
  if (!owner.headersSealed) return {};
  return validHeaders(JSON.parse(box.decrypt(owner.headersSealed, headersContext(owner))));
}
