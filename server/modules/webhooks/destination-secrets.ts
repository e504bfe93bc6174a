import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Partner } from '../partners/partner.entity.ts';
import type { WebhookEndpoint } from './webhook-endpoint.entity.ts';

export const partnerSecretContext = (partnerId: string, which: 'current' | 'previous') =>
  which === 'current'
    ? `partner:${partnerId}:webhook_secret`
    : `partner:${partnerId}:previous_webhook_secret`;

export const endpointSecretContext = (endpointId: string, which: 'current' | 'previous') =>
  `webhook_endpoint:${endpointId}:${which === 'current' ? 'secret' : 'previous_secret'}`;

/** The secrets to sign with now: the current one, and the previous one during its overlap window. */
export function signingSecrets(box: SecretBox, owner: Partner | WebhookEndpoint, now: Date): string[] {
  const isEndpoint = 'secretSealed' in owner;
  const context = (which: 'current' | 'previous') =>
    isEndpoint ? endpointSecretContext(owner.id, which) : partnerSecretContext(owner.id, which);
  const current = isEndpoint ? owner.secretSealed : owner.webhookSecretSealed;
  const previous = isEndpoint ? owner.previousSecretSealed : owner.previousWebhookSecretSealed;
  const previousUntil = isEndpoint ? owner.previousSecretExpiresAt : owner.previousWebhookSecretExpiresAt;
  const secrets = [box.decrypt(current, context('current'))];
  if (previous && previousUntil && previousUntil > now)
    secrets.push(box.decrypt(previous, context('previous')));
  return secrets;
}
