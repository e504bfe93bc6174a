import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConnectionType } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Channel } from '../channels/channel.entity.ts';
import { isPhoneRegistered } from '../channels/channel-lifecycle.ts';
import { type ProvisioningDeps, provisionChannel } from '../channels/provisioning.service.ts';
import { Client } from '../clients/client.entity.ts';
import { assertClientActive } from '../clients/client-status.service.ts';
import { createClient } from '../clients/clients.service.ts';
import { grantPermission } from '../permissions/permissions.service.ts';
import { SEALED, unseal } from '../secrets/sealed-columns.ts';
import type { ClientWaba } from '../signup/client-waba.entity.ts';
import { recordWabaWithoutNumber } from '../signup/signup-events.service.ts';
import { addEndpoint } from '../webhooks/endpoints.service.ts';
import { recordEvent } from '../webhooks/record-events.ts';
import type { WebhookDestination } from '../webhooks/webhook-destination.entity.ts';
import { OnboardingSession } from './onboarding-session.entity.ts';
import {
  cancelOnboardingSession,
  closedError,
  failOnboardingSession,
  moveSession,
  sessionEventBase,
} from './onboarding-sessions.service.ts';

/** The session behind an /onboard/{token} URL, or null. */
export function findSessionByToken(em: EntityManager, token: string): Promise<OnboardingSession | null> {
  const hash = createHash('sha256').update(token).digest('hex');
  return em.findOne(OnboardingSession, { urlTokenHash: hash }, { populate: ['partner'] });
}

/** `redirect?session_id=…&status=…&…`, as the onboarding page ends. */
function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

/** A redirect carries the error's message, cut to a length any URL survives. */
const MAX_REDIRECT_MESSAGE = 200;
function shortMessage(message: string): string {
  return message.length <= MAX_REDIRECT_MESSAGE ? message : `${message.slice(0, MAX_REDIRECT_MESSAGE - 1)}…`;
}

/** Open, but past its expiry: the page says so even before the scheduled job has closed it. */
export function isExpired(session: OnboardingSession, clock: Clock): boolean {
  return (session.status === 'pending' || session.status === 'opened') && session.expiresAt <= clock.now();
}

/**
 * The tenant pressed Start on the page (a POST: link scanners and previews only GET), so a
 * pending session becomes `opened`, with its event, once. An expired one is closed instead.
 */
export async function openOnboardingSession(em: EntityManager, clock: Clock, session: OnboardingSession) {
  if (isExpired(session, clock)) {
    await failOnboardingSession(em, clock, session, 'expired', 'expired');
    return session;
  }
  if (session.status !== 'pending') return session;
  await em.transactional(async (tx) => {
    if (!(await moveSession(tx, clock, session, ['pending'], { status: 'opened', openedAt: clock.now() }))) {
      return;
    }
    await recordEvent(tx, clock, {
      partnerId: session.partner.id,
      type: 'onboarding_session.opened',
      data: sessionEventBase(session),
    });
  });
  return session;
}

export interface EmbeddedSignupResult {
  code: string;
  wabaId: string;
  phoneNumberId: string;
  businessId?: string | undefined;
  connectionType?: ConnectionType | undefined;
}

export type OnboardingOutcome =
  | { status: 'completed'; redirectUrl: string | null; clientId: string; channelId: string }
  | { status: 'failed'; redirectUrl: string | null; error: AppError };

/**
 * The tenant finished Embedded Signup: provision the number (subscribing the WABA with the
 * session's webhook override, if any), link it to the client keyed by (partner, tenant_id),
 * grant the partner, and close the session, with `onboarding_session.completed`. Any failure
 * closes it as `failed` with the error code as reason; the URL cannot be used again either way.
 */
export async function completeOnboardingSession(
  em: EntityManager,
  deps: ProvisioningDeps,
  session: OnboardingSession,
  signup: EmbeddedSignupResult,
  actor: Actor,
): Promise<OnboardingOutcome> {
  // Claimed before any work, with one conditional update: of concurrent completions of the
  // link, one provisions and the others get 409.
  const claimed =
    !isExpired(session, deps.clock) &&
    (await moveSession(em, deps.clock, session, ['opened'], { status: 'completing' }));
  if (!claimed) {
    if (isExpired(session, deps.clock))
      await failOnboardingSession(em, deps.clock, session, 'expired', 'expired');
    const now = (await em.refresh(session)) ?? session;
    throw new AppError(
      'onboarding_session_closed',
      now.status === 'pending'
        ? 'This onboarding link was not started: open it and press Start first'
        : `This onboarding link is ${now.status}`,
      { status: now.status },
    );
  }
  const fail = async (error: AppError): Promise<OnboardingOutcome> => {
    await failOnboardingSession(em, deps.clock, session, error.code, 'failed', ['completing']);
    return { status: 'failed', redirectUrl: failedRedirectUrl(session, error), error };
  };
  const connectionType = signup.connectionType ?? 'cloud_api';
  if (!session.connectionTypes.includes(connectionType)) {
    return fail(new AppError('validation_failed', `This link does not allow ${connectionType} numbers`));
  }
  try {
    const client = await tenantClient(em, deps.clock, session, actor);
    const override =
      session.webhookOverrideUrl && session.webhookVerifyTokenSealed
        ? {
            callbackUri: session.webhookOverrideUrl,
            verifyToken: unseal(
              deps.secretBox,
              SEALED.onboardingWebhookVerifyToken,
              session.id,
              session.webhookVerifyTokenSealed,
            ),
          }
        : undefined;
    const { channel } = await provisionChannel(
      em,
      deps,
      {
        client,
        code: signup.code,
        wabaId: signup.wabaId,
        phoneNumberId: signup.phoneNumberId,
        businessId: signup.businessId,
        connectionType,
        webhookOverride: override,
      },
      actor,
    );
    return await finishOnboarding(em, deps, session, client, channel, actor);
  } catch (err) {
    if (err instanceof AppError) return fail(err);
    // A bug or an outage: the link is spent either way (the expiry job closes it if this fails too).
    await failOnboardingSession(em, deps.clock, session, 'internal_error', 'failed', ['completing']).catch(
      () => undefined,
    );
    throw err;
  }
}

/**
 * The number is connected (by Embedded Signup, or a linked device once paired): the partner is
 * granted it with the session's tenant id and metadata, the session completes with
 * `onboarding_session.completed` and its webhook endpoint, and the success redirect carries the
 * ids. The caller has claimed the session (`completing`).
 */
export async function finishOnboarding(
  em: EntityManager,
  deps: Pick<ProvisioningDeps, 'clock' | 'secretBox'>,
  session: OnboardingSession,
  client: Client,
  channel: Channel,
  actor: Actor,
): Promise<Extract<OnboardingOutcome, { status: 'completed' }>> {
  const partner = session.partner;
  await grantPermission(em, deps.clock, partner, channel, actor, {
    tenantId: session.tenantId,
    metadata: session.metadata ?? null,
  });
  session.status = 'completed';
  session.client = client;
  session.channel = channel;
  session.finishedAt = deps.clock.now();
  session.abandonedAt = null;
  await em.transactional(async (tx) => {
    const endpoint = registerSessionWebhook(tx, deps, session, channel, actor);
    await recordEvent(tx, deps.clock, {
      partnerId: partner.id,
      type: 'onboarding_session.completed',
      data: {
        ...sessionEventBase(session),
        webhook_endpoint_id: endpoint?.id ?? null,
        client_id: client.id,
        channel_id: channel.id,
        waba_id: channel.wabaId,
        phone_number_id: channel.phoneNumberId,
        phone_number: channel.phoneNumber,
        is_phone_registered: isPhoneRegistered(channel),
        connection_type: channel.connectionType,
      },
    });
  });
  return {
    status: 'completed',
    redirectUrl: completedRedirectUrl(session, client.id, channel.id),
    clientId: client.id,
    channelId: channel.id,
  };
}

/** The success redirect of a completed session, with its ids (null without one). */
export function completedRedirectUrl(session: OnboardingSession, clientId: string, channelId: string) {
  return session.successRedirectUrl
    ? withQuery(session.successRedirectUrl, {
        session_id: session.id,
        tenant_id: session.tenantId,
        status: 'completed',
        client_id: clientId,
        channel_id: channelId,
      })
    : null;
}

/** The failure redirect of a session that failed with `error` (null without one). */
export function failedRedirectUrl(session: OnboardingSession, error: AppError) {
  return session.failureRedirectUrl
    ? withQuery(session.failureRedirectUrl, {
        session_id: session.id,
        tenant_id: session.tenantId,
        status: 'failed',
        error: error.code,
        error_message: shortMessage(error.message),
      })
    : null;
}

/**
 * The session's outgoing webhook becomes an endpoint scoped to the new channel, with exactly the
 * session's events and secret, in the completion's transaction (the session's events themselves
 * go to the partner's webhook: the endpoint starts with the channel).
 */
function registerSessionWebhook(
  tx: EntityManager,
  deps: Pick<ProvisioningDeps, 'secretBox'>,
  session: OnboardingSession,
  channel: Channel,
  actor: Actor,
): WebhookDestination | null {
  if (!session.webhookUrl || !session.webhookSecretSealed) return null;
  const secret = unseal(
    deps.secretBox,
    SEALED.onboardingWebhookSecret,
    session.id,
    session.webhookSecretSealed,
  );
  const endpoint = addEndpoint(tx, deps.secretBox, session.partner, {
    url: session.webhookUrl,
    description: `Onboarding session ${session.id} (tenant ${session.tenantId})`.slice(0, 200),
    eventTypes: session.webhookEvents ?? null,
    channel,
    wabaId: null,
    secret,
  });
  session.webhookEndpointId = endpoint.id;
  recordAudit(tx, actor, {
    partner: session.partner,
    action: 'webhook_endpoint.created',
    target: { type: 'webhook_endpoint', id: endpoint.id },
    details: { onboarding_session_id: session.id, channel_id: channel.id },
  });
  return endpoint;
}

/** The tenant's client, keyed by (partner, tenant_id): found, or created on its first signup. */
export async function tenantClient(
  em: EntityManager,
  clock: Clock,
  session: OnboardingSession,
  actor: Actor,
) {
  const partner = session.partner;
  const client =
    (await em.findOne(Client, { partner, externalId: session.tenantId }, { populate: ['partner'] })) ??
    (await createClient(
      em,
      clock,
      partner,
      { name: session.tenantName, externalId: session.tenantId },
      actor,
    ));
  assertClientActive(client, 'connect numbers');
  return client;
}

/**
 * Embedded Signup finished without a phone number (FINISH_ONLY_WABA): the tenant's client and
 * its WABA are recorded (the WABA `pending`), and the session stays open, so the tenant can add
 * a number and connect again on the same link; that completion makes the channel.
 */
export async function recordOnboardingWaba(
  em: EntityManager,
  deps: ProvisioningDeps,
  session: OnboardingSession,
  signup: { code: string; wabaId: string; businessId?: string | undefined },
  actor: Actor,
): Promise<ClientWaba> {
  if (isExpired(session, deps.clock)) {
    await failOnboardingSession(em, deps.clock, session, 'expired', 'expired');
  }
  if (session.status !== 'opened') throw closedError(session);
  const client = await tenantClient(em, deps.clock, session, actor);
  const waba = await recordWabaWithoutNumber(em, deps, { client, ...signup }, actor);
  if (!session.client) {
    session.client = client;
    await em.flush();
  }
  return waba;
}

/** The tenant pressed Cancel (or closed Meta's dialog): the session ends as `cancelled`. */
export async function cancelFromPage(
  em: EntityManager,
  clock: Clock,
  session: OnboardingSession,
  actor: Actor,
) {
  if (isExpired(session, clock)) await failOnboardingSession(em, clock, session, 'expired', 'expired');
  await cancelOnboardingSession(em, clock, session, actor);
  return session.cancelRedirectUrl
    ? withQuery(session.cancelRedirectUrl, {
        session_id: session.id,
        tenant_id: session.tenantId,
        status: 'cancelled',
      })
    : null;
}
