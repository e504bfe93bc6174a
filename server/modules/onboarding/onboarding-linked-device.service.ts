import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors.ts';
import { LinkedDeviceSession } from '../../linked-devices/linked-device-session.entity.ts';
import { createLinkedDeviceSession, type PairingDeps } from '../../linked-devices/sessions.service.ts';
import type { Logger } from '../../logger.ts';
import type { Actor } from '../audit/actor.ts';
import type { ProvisioningDeps } from '../channels/provisioning.service.ts';
import {
  completedRedirectUrl,
  failedRedirectUrl,
  finishOnboarding,
  isExpired,
  type OnboardingOutcome,
  tenantClient,
} from './onboarding-flow.service.ts';
import { OnboardingSession } from './onboarding-session.entity.ts';
import { closedError, failOnboardingSession, moveSession } from './onboarding-sessions.service.ts';

/**
 * The linked device an open onboarding session is pairing (its channel, recorded on the session
 * when the tenant chose "Link a device"), or null.
 */
export async function onboardingLinkedDevice(
  em: EntityManager,
  session: OnboardingSession,
): Promise<LinkedDeviceSession | null> {
  if (!session.channel) return null;
  return em.findOne(
    LinkedDeviceSession,
    { channel: session.channel.id, partner: session.partner },
    { populate: ['channel', 'client'], refresh: true },
  );
}

/**
 * The tenant chose "Link a device" on an opened session: its client (keyed by tenant id, as
 * Embedded Signup makes it) gets a linked-device session granted to the partner, and the
 * onboarding session records its channel until the phone pairs. Choosing again returns the same
 * pairing (a new code is "Show a new code", restartPairing).
 */
export async function startOnboardingLinkedDevice(
  em: EntityManager,
  deps: PairingDeps,
  session: OnboardingSession,
  input: { pairingPhoneNumber: string | null },
  actor: Actor,
): Promise<LinkedDeviceSession> {
  const { clock } = deps;
  if (isExpired(session, clock)) await failOnboardingSession(em, clock, session, 'expired', 'expired');
  if (session.status !== 'opened') throw closedError(session);
  const existing = await onboardingLinkedDevice(em, session);
  if (existing) return existing;
  const client = await tenantClient(em, clock, session, actor);
  const linked = await createLinkedDeviceSession(
    em,
    deps,
    {
      partner: session.partner,
      client,
      name: session.tenantName ?? null,
      pairingPhoneNumber: input.pairingPhoneNumber,
    },
    actor,
  );
  session.client = client;
  session.channel = linked.channel;
  await em.flush();
  return linked;
}

/**
 * The phone paired: the onboarding session completes as an Embedded Signup one does
 * (`onboarding_session.completed` with `connection_type: linked_device`, the success redirect).
 * Claimed with one conditional update, so the page's repeated posts complete it once; a session
 * completed already answers its success redirect again.
 */
export async function completeOnboardingWithLinkedDevice(
  em: EntityManager,
  deps: Pick<ProvisioningDeps, 'clock' | 'secretBox'>,
  session: OnboardingSession,
  linked: LinkedDeviceSession,
  actor: Actor,
): Promise<OnboardingOutcome> {
  if (linked.status !== 'CONNECTED')
    throw new AppError('session_not_connected', `The linked device is ${linked.status}, not CONNECTED`, {
      status: linked.status,
    });
  if (session.status === 'completed' && session.channel?.id === linked.channel.id)
    return {
      status: 'completed',
      redirectUrl: completedRedirectUrl(session, linked.client.id, linked.channel.id),
      clientId: linked.client.id,
      channelId: linked.channel.id,
    };
  const claimed =
    !isExpired(session, deps.clock) &&
    (await moveSession(em, deps.clock, session, ['opened'], { status: 'completing' }));
  if (!claimed) {
    if (isExpired(session, deps.clock))
      await failOnboardingSession(em, deps.clock, session, 'expired', 'expired');
    throw closedError((await em.refresh(session)) ?? session);
  }
  try {
    return await finishOnboarding(em, deps, session, linked.client, linked.channel, actor);
  } catch (err) {
    const error =
      err instanceof AppError ? err : new AppError('internal_error', 'The session could not complete');
    await failOnboardingSession(em, deps.clock, session, error.code, 'failed', ['completing']).catch(
      () => undefined,
    );
    if (!(err instanceof AppError)) throw err;
    return { status: 'failed', redirectUrl: failedRedirectUrl(session, error), error };
  }
}

/** Who completes an onboarding session when its device pairs with no page posting. */
const PAIRING_ACTOR: Actor = { type: 'system', id: 'linked-device-runner' };

/**
 * The device `linked` just paired (CONNECTED, written in `tx`): the onboarding session pairing
 * it, if any is still open, completes in the same transaction, so a tenant who closed the page
 * after scanning still completes, and the page's Continue finds it completed (its success
 * redirect). The completion runs under a savepoint: if it throws, only it is undone (logged),
 * the device's status is written, and the page's Continue can still complete the session.
 */
export async function completeOnboardingOnPairing(
  tx: EntityManager,
  deps: Pick<ProvisioningDeps, 'clock' | 'secretBox'> & { logger: Logger },
  linked: LinkedDeviceSession,
): Promise<void> {
  const session = await tx.findOne(
    OnboardingSession,
    { channel: linked.channel.id, partner: linked.partner, status: 'opened' },
    { populate: ['partner'] },
  );
  if (!session) return;
  try {
    await tx.transactional((inner) =>
      completeOnboardingWithLinkedDevice(inner, deps, session, linked, PAIRING_ACTOR),
    );
  } catch (err) {
    deps.logger.warn(
      { err, onboardingSession: session.id, linkedDeviceSession: linked.id },
      'could not complete the onboarding session on pairing; its page can still complete it',
    );
  }
}
