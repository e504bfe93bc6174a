import type { EntityManager } from '@mikro-orm/postgresql';
import type { OnboardingSessionStatus } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import type { SignupSessionEventInput } from '../../hosted/signup-event-input.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { Channel } from '../channels/channel.entity.ts';
import { assertWabaGranted, call, type ProvisioningDeps } from '../channels/provisioning.service.ts';
import type { Client } from '../clients/client.entity.ts';
import { type LastSignupEvent, OnboardingSession } from '../onboarding/onboarding-session.entity.ts';
import { sessionEventBase } from '../onboarding/onboarding-sessions.service.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { recordEvent } from '../webhooks/record-events.ts';
import { ClientWaba } from './client-waba.entity.ts';
import { SignupSessionEvent } from './signup-session-event.entity.ts';

/** At most this many outcomes are kept per onboarding session or client, the oldest dropped first. */
export const MAX_SIGNUP_EVENTS_PER_SUBJECT = 50;

const OPEN: OnboardingSessionStatus[] = ['pending', 'opened'];
const FINISHABLE: OnboardingSessionStatus[] = [...OPEN, 'completing', 'completed'];

function rowOf(input: SignupSessionEventInput, now: Date) {
  return {
    event: input.event,
    currentStep: input.currentStep,
    wabaId: input.wabaId,
    phoneNumberId: input.phoneNumberId,
    businessId: input.businessId,
    errorMessage: input.errorMessage,
    errorId: input.errorId,
    metaSessionId: input.metaSessionId,
    createdAt: now,
  };
}

/** Keeps the newest MAX_SIGNUP_EVENTS_PER_SUBJECT rows of one session or client. */
async function trim(tx: EntityManager, column: 'onboarding_session_id' | 'client_id', id: string) {
  await tx.execute(
    `delete from signup_session_events where ${column} = ? and id < coalesce((
       select id from signup_session_events where ${column} = ? order by id desc offset ? limit 1), '')`,
    [id, id, MAX_SIGNUP_EVENTS_PER_SUBJECT - 1],
  );
}

/**
 * Records what Embedded Signup reported on an /onboard page. While the session is open, it
 * also becomes the session's `last_signup_event`; a CANCEL or an ERROR marks it abandoned
 * (`abandoned_at`, event `onboarding_session.abandoned` with the step or error), a finish clears
 * that: the session can still complete. Other outcomes arriving after the session closed are
 * only stored.
 */
export async function recordOnboardingSignupEvent(
  em: EntityManager,
  clock: Clock,
  session: OnboardingSession,
  input: SignupSessionEventInput,
): Promise<{ abandoned: boolean }> {
  return em.transactional(async (tx) => {
    const now = clock.now();
    tx.create(SignupSessionEvent, {
      ...rowOf(input, now),
      partner: session.partner,
      onboardingSession: session.id,
    });
    await tx.flush();
    await trim(tx, 'onboarding_session_id', session.id);
    const abandon = input.event === 'CANCEL' || input.event === 'ERROR';
    const last: LastSignupEvent = {
      event: input.event,
      current_step: input.currentStep,
      error_message: input.errorMessage,
      error_id: input.errorId,
      waba_id: input.wabaId,
      phone_number_id: input.phoneNumberId,
      recorded_at: now.toISOString(),
    };
    const changes = { lastSignupEvent: last, abandonedAt: abandon ? now : null, updatedAt: now };
    // Conditional, like every move of a session: a cancel or error only counts while it is
    // open; a finish also while the completion it announces runs or just ended (the page
    // reports it and completes at once, so either may land first).
    const updated = await tx.nativeUpdate(
      OnboardingSession,
      { id: session.id, status: { $in: abandon ? OPEN : FINISHABLE } },
      changes,
    );
    if (updated === 0) return { abandoned: false };
    Object.assign(session, changes);
    if (!abandon) return { abandoned: false };
    await recordEvent(tx, clock, {
      partnerId: session.partner.id,
      type: 'onboarding_session.abandoned',
      data: {
        ...sessionEventBase(session),
        event: input.event as 'CANCEL' | 'ERROR',
        current_step: input.currentStep,
        error_message: input.errorMessage,
        error_id: input.errorId,
      },
    });
    return { abandoned: true };
  });
}

/** Records what Embedded Signup reported on the /permissions page, against the logged-in client. */
export async function recordClientSignupEvent(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  client: Client,
  input: SignupSessionEventInput,
): Promise<void> {
  await em.transactional(async (tx) => {
    tx.create(SignupSessionEvent, { ...rowOf(input, clock.now()), partner, client: client.id });
    await tx.flush();
    await trim(tx, 'client_id', client.id);
  });
}

export interface WabaOnlyInput {
  client: Client;
  code: string;
  wabaId: string;
  businessId?: string | undefined;
}

/**
 * Embedded Signup finished without a phone number (FINISH_ONLY_WABA): there is no channel to
 * make yet. The code is exchanged and the WABA checked to be in the token's scopes (so nobody
 * records a WABA that is not theirs), then kept as the client's `pending` WABA. Adding a number
 * later means running Embedded Signup again with that WABA: the FINISH provisions the channel
 * and the WABA becomes `connected`.
 */
export async function recordWabaWithoutNumber(
  em: EntityManager,
  deps: ProvisioningDeps,
  input: WabaOnlyInput,
  actor: Actor,
): Promise<ClientWaba> {
  const token = await call('exchange the signup code', () => deps.graph.exchangeCode(input.code));
  const debug = await call('inspect the business token', () => deps.graph.debugToken(token.access_token));
  assertWabaGranted(debug.granular_scopes ?? [], input.wabaId, debug.is_valid);
  return em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`waba:${input.wabaId}`]);
    let waba = await tx.findOne(ClientWaba, { wabaId: input.wabaId }, { populate: ['client'] });
    const elsewhere = await tx.count(Channel, { wabaId: input.wabaId, client: { $ne: input.client.id } });
    if ((waba && waba.client.id !== input.client.id) || elsewhere > 0) {
      throw new AppError('conflict', 'This WhatsApp Business Account is connected to another client', {
        waba_id: input.wabaId,
      });
    }
    const hasChannel = (await tx.count(Channel, { wabaId: input.wabaId, client: input.client })) > 0;
    waba ??= tx.create(ClientWaba, {
      client: input.client,
      wabaId: input.wabaId,
      createdAt: deps.clock.now(),
    });
    waba.businessId = input.businessId ?? waba.businessId ?? null;
    waba.status = hasChannel ? 'connected' : 'pending';
    recordAudit(tx, actor, {
      partner: input.client.partner,
      action: 'client_waba.recorded',
      target: { type: 'client', id: input.client.id },
      details: { waba_id: input.wabaId, status: waba.status },
    });
    await tx.flush();
    return waba;
  });
}
