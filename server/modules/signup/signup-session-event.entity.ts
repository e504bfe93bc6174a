import { defineEntity, p } from '@mikro-orm/core';
import { SIGNUP_SESSION_EVENTS } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty } from '../../db/columns.ts';
import { Client } from '../clients/client.entity.ts';
import { OnboardingSession } from '../onboarding/onboarding-session.entity.ts';
import { Partner } from '../partners/partner.entity.ts';

/**
 * One outcome Embedded Signup's popup reported to a hosted page (its `WA_EMBEDDED_SIGNUP`
 * message), against the onboarding session or the permissions visit (the logged-in client)
 * it happened in: how abandoned signups are debugged.
 */
export const SignupSessionEventSchema = defineEntity({
  name: 'SignupSessionEvent',
  tableName: 'signup_session_events',
  properties: {
    id: idProperty('signupSessionEvent'),
    partner: () => p.manyToOne(Partner).deleteRule('cascade'),
    /** Set for an /onboard page; null for the /permissions page (then `client` is set). */
    onboardingSession: () => p.manyToOne(OnboardingSession).nullable().deleteRule('cascade'),
    client: () => p.manyToOne(Client).nullable().deleteRule('cascade'),
    event: p.enum(SIGNUP_SESSION_EVENTS),
    /** CANCEL: the step of Meta's flow the person left at. */
    currentStep: p.string().length(64).nullable(),
    wabaId: p.string().length(32).nullable(),
    phoneNumberId: p.string().length(32).nullable(),
    businessId: p.string().length(32).nullable(),
    errorMessage: p.string().length(500).nullable(),
    errorId: p.string().length(64).nullable(),
    /** Meta's own session id of an ERROR, to quote to Meta's support. */
    metaSessionId: p.string().length(128).nullable(),
    createdAt: createdAtProperty(),
  },
  indexes: [{ properties: ['onboardingSession', 'id'] }, { properties: ['client', 'id'] }],
});

export class SignupSessionEvent extends SignupSessionEventSchema.class {}
SignupSessionEventSchema.setClass(SignupSessionEvent);
