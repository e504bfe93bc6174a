import { defineEntity, p } from '@mikro-orm/core';
import { ONBOARDING_SESSION_STATUSES, type SignupSessionEventType } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';
import { Channel } from '../channels/channel.entity.ts';
import { Client } from '../clients/client.entity.ts';
import { Partner } from '../partners/partner.entity.ts';

export interface LastSignupEvent {
  event: SignupSessionEventType;
  current_step: string | null;
  error_message: string | null;
  error_id: string | null;
  waba_id: string | null;
  phone_number_id: string | null;
  recorded_at: string;
}

/** A one-time, expiring onboarding URL for one of a partner's tenants. */
export const OnboardingSessionSchema = defineEntity({
  name: 'OnboardingSession',
  tableName: 'onboarding_sessions',
  properties: {
    id: idProperty('onboardingSession'),
    partner: () => p.manyToOne(Partner),
    /** SHA-256 of the secret in the onboarding URL. */
    urlTokenHash: p.string().length(64).unique().hidden(),
    tenantId: p.string().length(200),
    tenantName: p.string().length(200).nullable(),
    successRedirectUrl: p.text().nullable(),
    failureRedirectUrl: p.text().nullable(),
    cancelRedirectUrl: p.text().nullable(),
    webhookOverrideUrl: p.text().nullable(),
    webhookVerifyTokenSealed: p.text().hidden().nullable(),
    /** The partner's per-session outgoing webhook: an endpoint scoped to the channel once it connects. */
    webhookUrl: p.text().nullable(),
    /** Its signing secret as stored for an endpoint (see chosen-secret.ts), sealed. */
    webhookSecretSealed: p.text().hidden().nullable(),
    webhookEvents: p.json<string[]>().nullable(),
    /** The endpoint created at completion. */
    webhookEndpointId: p.string().length(64).nullable(),
    metadata: p.json<Record<string, unknown>>().nullable(),
    connectionTypes: p.json<string[]>().onCreate(() => ['cloud_api']),
    status: p.enum(ONBOARDING_SESSION_STATUSES).onCreate(() => 'pending' as const),
    failureReason: p.string().length(100).nullable(),
    client: () => p.manyToOne(Client).nullable(),
    channel: () => p.manyToOne(Channel).nullable(),
    expiresAt: p.datetime(),
    openedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
    /** When the tenant cancelled or hit an error in Embedded Signup; cleared by a later finish. */
    abandonedAt: p.datetime().nullable(),
    /** The last Embedded Signup outcome the page reported (see signup-session-events). */
    lastSignupEvent: p.json<LastSignupEvent>().nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  indexes: [
    { properties: ['partner', 'id'] },
    { properties: ['partner', 'tenantId', 'id'] },
    {
      name: 'onboarding_sessions_open_expiry_index',
      properties: ['expiresAt'],
      where: "status in ('pending', 'opened', 'completing')",
    },
  ],
});

export class OnboardingSession extends OnboardingSessionSchema.class {}
OnboardingSessionSchema.setClass(OnboardingSession);
