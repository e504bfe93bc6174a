import { createHash, createHmac } from 'node:crypto';
import { type EntityManager, type FilterQuery, wrap } from '@mikro-orm/postgresql';
import type {
  OnboardingSessionCreate,
  OnboardingSessionListQuery,
  OnboardingSessionView,
} from '../../../shared/schemas/onboarding.ts';
import type { ConnectionType, OnboardingSessionStatus } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import { storedChosenSecret } from '../../crypto/chosen-secret.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { AppError } from '../../errors.ts';
import { decodeCursor, type Page, toPage } from '../../pagination.ts';
import { targetPolicyOf } from '../../security/ssrf-guard.ts';
import type { UrlPolicy } from '../../security/url-policy.ts';
import { assertWebhookTarget } from '../../security/webhook-host.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { isPhoneRegistered } from '../channels/channel-lifecycle.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { allowedRedirect } from '../partners/redirect-allowlist.ts';
import { SEALED, seal } from '../secrets/sealed-columns.ts';
import { MAX_ENDPOINTS_PER_PARTNER } from '../webhooks/endpoints.service.ts';
import { recordEvent } from '../webhooks/record-events.ts';
import { WebhookDestination } from '../webhooks/webhook-destination.entity.ts';
import { OnboardingSession } from './onboarding-session.entity.ts';
import { preflightWebhook } from './webhook-preflight.ts';

/** The part of the hub onboarding needs; the hub object satisfies it as it is. */
export interface OnboardingDeps {
  clock: Clock;
  secretBox: SecretBox;
  /** Keys the URL tokens (derived from HUB_SECRET, as the session cookie's key is). */
  sessionSecret: string;
  config: { publicUrl: string };
  urlPolicy: UrlPolicy;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The URL secret is derived from the session id, so the URL can be shown again (GET) without
 * being stored; only its hash is, for the lookup. Rotating HUB_SECRET invalidates open links
 * (they live at most 24 h).
 */
export function onboardingToken(secret: string, sessionId: string): string {
  return createHmac('sha256', secret).update(`onboarding:${sessionId}`).digest('base64url');
}

export function onboardingUrl(
  deps: Pick<OnboardingDeps, 'config' | 'sessionSecret'>,
  sessionId: string,
): string {
  return `${deps.config.publicUrl}/onboard/${onboardingToken(deps.sessionSecret, sessionId)}`;
}

/** What a completed session connected; the channel must be loaded (get and list populate it). */
function connectedNumber(s: OnboardingSession) {
  const channel = s.channel && wrap(s.channel).isInitialized() ? s.channel : null;
  return {
    phone_number: channel?.phoneNumber ?? null,
    waba_id: channel?.wabaId ?? null,
    phone_number_id: channel?.phoneNumberId ?? null,
    is_phone_registered: channel ? isPhoneRegistered(channel) : null,
    connection_type: channel?.connectionType ?? null,
  };
}

export function toOnboardingSessionView(
  deps: Pick<OnboardingDeps, 'config' | 'sessionSecret'>,
  s: OnboardingSession,
): OnboardingSessionView {
  return {
    id: s.id,
    onboarding_url: onboardingUrl(deps, s.id),
    tenant_id: s.tenantId,
    tenant_name: s.tenantName ?? null,
    status: s.status,
    expires_at: s.expiresAt.toISOString(),
    success_redirect_url: s.successRedirectUrl ?? null,
    failure_redirect_url: s.failureRedirectUrl ?? null,
    cancel_redirect_url: s.cancelRedirectUrl ?? null,
    webhook_override_url: s.webhookOverrideUrl ?? null,
    webhook_url: s.webhookUrl ?? null,
    webhook_events: s.webhookEvents ?? null,
    webhook_endpoint_id: s.webhookEndpointId ?? null,
    connection_types: s.connectionTypes as ConnectionType[],
    metadata: s.metadata ?? null,
    client_id: s.client?.id ?? null,
    channel_id: s.channel?.id ?? null,
    ...connectedNumber(s),
    failure_reason: s.failureReason ?? null,
    opened_at: s.openedAt?.toISOString() ?? null,
    finished_at: s.finishedAt?.toISOString() ?? null,
    abandoned_at: s.abandonedAt?.toISOString() ?? null,
    last_signup_event: s.lastSignupEvent ?? null,
    created_at: s.createdAt.toISOString(),
  };
}

function assertAllowedRedirect(partner: Partner, field: string, url: string | undefined): string | null {
  if (url === undefined) return null;
  const allowed = allowedRedirect(partner, url);
  if (allowed === null) {
    throw new AppError(
      'invalid_redirect_url',
      `${field} must match one of your allowed_redirect_urls (scheme, host, port and path; the query may differ)`,
      {
        field,
        allowed_redirect_urls: partner.allowedRedirectUrls,
      },
    );
  }
  return allowed;
}

export async function createOnboardingSession(
  em: EntityManager,
  deps: OnboardingDeps,
  partner: Partner,
  input: OnboardingSessionCreate,
  actor: Actor,
): Promise<OnboardingSession> {
  // An onboarding link has no price page: a direct-paid client must accept the prices and add
  // a card first, which only the permission page asks for (docs/billing.md).
  if (partner.paymentModel === 'direct') {
    throw new AppError(
      'conflict',
      'Your clients pay directly (Direct Payment): send them to the permission page, which asks for the prices and a card before Embedded Signup. Onboarding links are for Partner Payment.',
      { payment_model: 'direct' },
    );
  }
  const success = assertAllowedRedirect(partner, 'success_redirect_url', input.success_redirect_url);
  const failure = assertAllowedRedirect(partner, 'failure_redirect_url', input.failure_redirect_url);
  const cancel = assertAllowedRedirect(partner, 'cancel_redirect_url', input.cancel_redirect_url);
  let webhookUrl: string | null = null;
  if (input.webhook_override_url) {
    webhookUrl = await assertWebhookTarget(
      input.webhook_override_url,
      'webhook_override_url',
      deps.urlPolicy,
    );
    if (!input.skip_webhook_preflight) {
      await preflightWebhook(webhookUrl, input.webhook_verify_token!, targetPolicyOf(deps.urlPolicy));
    }
  }
  const outgoing = input.webhook_url ? await sessionWebhook(em, deps, partner, input) : null;
  const now = deps.clock.now();
  const session = em.create(OnboardingSession, {
    partner,
    urlTokenHash: 'pending',
    tenantId: input.tenant_id,
    tenantName: input.tenant_name ?? null,
    successRedirectUrl: success,
    failureRedirectUrl: failure,
    cancelRedirectUrl: cancel,
    webhookOverrideUrl: webhookUrl,
    metadata: input.metadata ?? null,
    connectionTypes: input.connection_types ?? ['cloud_api'],
    expiresAt: new Date(now.getTime() + input.expires_in_seconds * 1000),
    createdAt: now,
  });
  session.urlTokenHash = sha256(onboardingToken(deps.sessionSecret, session.id));
  if (outgoing) {
    session.webhookUrl = outgoing.url;
    session.webhookEvents = outgoing.events;
    session.webhookSecretSealed = seal(
      deps.secretBox,
      SEALED.onboardingWebhookSecret,
      session.id,
      outgoing.secret,
    );
  }
  if (webhookUrl && input.webhook_verify_token) {
    session.webhookVerifyTokenSealed = seal(
      deps.secretBox,
      SEALED.onboardingWebhookVerifyToken,
      session.id,
      input.webhook_verify_token,
    );
  }
  recordAudit(em, actor, {
    partner,
    action: 'onboarding_session.created',
    target: { type: 'onboarding_session', id: session.id },
    details: { tenant_id: session.tenantId, expires_at: session.expiresAt.toISOString() },
  });
  await em.flush();
  return session;
}

/** What a session's outgoing webhook becomes at completion: the message events unless others are named. */
export const DEFAULT_SESSION_WEBHOOK_EVENTS = [
  'message.received',
  'message.status',
  'message.update',
  'message.echo',
];

/**
 * Checks a session's outgoing webhook up front (URL policy, the endpoint cap, the secret's form),
 * so the tenant never finishes signup into a webhook the hub would refuse.
 */
async function sessionWebhook(
  em: EntityManager,
  deps: OnboardingDeps,
  partner: Partner,
  input: OnboardingSessionCreate,
): Promise<{ url: string; secret: string; events: string[] }> {
  const url = await assertWebhookTarget(input.webhook_url!, 'webhook_url', deps.urlPolicy);
  if ((await em.count(WebhookDestination, { partner, kind: 'endpoint' })) >= MAX_ENDPOINTS_PER_PARTNER) {
    throw new AppError(
      'conflict',
      `A partner can have at most ${MAX_ENDPOINTS_PER_PARTNER} webhook endpoints: this session's webhook_url would need one`,
    );
  }
  return {
    url,
    secret: storedChosenSecret(input.webhook_secret!, 'webhook_secret'),
    events: input.webhook_events ?? DEFAULT_SESSION_WEBHOOK_EVENTS,
  };
}

export async function getOnboardingSession(
  em: EntityManager,
  partner: Partner,
  id: string,
): Promise<OnboardingSession> {
  const session = await em.findOne(OnboardingSession, { id, partner }, { populate: ['channel'] });
  if (!session) throw new AppError('not_found', `No onboarding session ${id}`);
  return session;
}

export async function listOnboardingSessions(
  em: EntityManager,
  partner: Partner,
  query: OnboardingSessionListQuery,
): Promise<Page<OnboardingSession>> {
  const before = decodeCursor(query.cursor, 'onboardingSession');
  const where: FilterQuery<OnboardingSession> = { partner };
  if (before) where.id = { $lt: before };
  if (query.tenant_id !== undefined) where.tenantId = query.tenant_id;
  if (query.status) where.status = query.status;
  const rows = await em.find(OnboardingSession, where, {
    orderBy: { id: 'desc' },
    limit: query.limit + 1,
    populate: ['channel'],
  });
  return toPage(rows, query.limit, (s) => s.id);
}

/** The base of every event of a session: who it was for, and the partner's metadata. */
export function sessionEventBase(s: OnboardingSession) {
  return { session_id: s.id, tenant_id: s.tenantId, metadata: s.metadata ?? null };
}

const OPEN: OnboardingSessionStatus[] = ['pending', 'opened'];
const isOpen = (s: OnboardingSession) => OPEN.includes(s.status);

/** A completion that has not finished this long after the session's expiry died with its process. */
export const ABANDONED_COMPLETION_MS = 15 * 60 * 1000;

export function closedError(s: Pick<OnboardingSession, 'id' | 'status'>): AppError {
  return new AppError('onboarding_session_closed', `Onboarding session ${s.id} is ${s.status}`, {
    status: s.status,
  });
}

/**
 * Moves a session on with one conditional UPDATE (`where status in from`), in `tx`: of racing
 * requests (two completions, a completion and a cancel, the expiry job) exactly one moves it.
 * The loaded entity then mirrors the row.
 */
export async function moveSession(
  tx: EntityManager,
  clock: Clock,
  session: OnboardingSession,
  from: OnboardingSessionStatus[],
  changes: Partial<Pick<OnboardingSession, 'status' | 'openedAt' | 'finishedAt' | 'failureReason'>>,
): Promise<boolean> {
  const moved = await tx.nativeUpdate(
    OnboardingSession,
    { id: session.id, status: { $in: from } },
    { ...changes, updatedAt: clock.now() },
  );
  if (moved === 0) return false;
  Object.assign(session, changes);
  return true;
}

export async function cancelOnboardingSession(
  em: EntityManager,
  clock: Clock,
  session: OnboardingSession,
  actor: Actor,
): Promise<OnboardingSession> {
  if (!isOpen(session)) throw closedError(session);
  const moved = await em.transactional(async (tx) => {
    const finishedAt = clock.now();
    if (!(await moveSession(tx, clock, session, OPEN, { status: 'cancelled', finishedAt }))) return false;
    recordAudit(tx, actor, {
      partner: session.partner,
      action: 'onboarding_session.cancelled',
      target: { type: 'onboarding_session', id: session.id },
    });
    await recordEvent(tx, clock, {
      partnerId: session.partner.id,
      type: 'onboarding_session.cancelled',
      data: sessionEventBase(session),
    });
    return true;
  });
  if (!moved) throw closedError((await em.refresh(session)) ?? session);
  return session;
}

/**
 * Removes a session that has not finished (pending or opened), with one conditional DELETE so a
 * completion claiming it at the same moment either wins (409) or finds nothing. A finished
 * session keeps its record: `onboarding_session_closed`. Its link then answers "not found".
 */
export async function deleteOnboardingSession(
  em: EntityManager,
  session: OnboardingSession,
  actor: Actor,
): Promise<void> {
  if (!isOpen(session)) throw closedError(session);
  const deleted = await em.transactional(async (tx) => {
    const n = await tx.nativeDelete(OnboardingSession, { id: session.id, status: { $in: OPEN } });
    if (n === 0) return false;
    recordAudit(tx, actor, {
      partner: session.partner,
      action: 'onboarding_session.deleted',
      target: { type: 'onboarding_session', id: session.id },
      details: { tenant_id: session.tenantId, status: session.status },
    });
    return true;
  });
  if (!deleted) throw closedError((await em.refresh(session)) ?? session);
}

/**
 * Ends an open session (or, from the completion that claimed it, a `completing` one) as failed
 * or expired, with its event. Returns false if someone else moved it first.
 */
export async function failOnboardingSession(
  em: EntityManager,
  clock: Clock,
  session: OnboardingSession,
  reason: string,
  status: 'failed' | 'expired' = 'failed',
  from: OnboardingSessionStatus[] = OPEN,
): Promise<boolean> {
  return em.transactional(async (tx) => {
    const changes = { status, failureReason: reason.slice(0, 100), finishedAt: clock.now() };
    if (!(await moveSession(tx, clock, session, from, changes))) return false;
    await recordEvent(tx, clock, {
      partnerId: session.partner.id,
      type: 'onboarding_session.failed',
      data: { ...sessionEventBase(session), reason },
    });
    return true;
  });
}

/**
 * The scheduled job's work: every open session past its expiry becomes `expired`, with its
 * event; so does a completion abandoned by a crashed process, well after the expiry.
 */
export async function expireDueSessions(em: EntityManager, clock: Clock): Promise<number> {
  const now = clock.now().getTime();
  const due = await em.find(
    OnboardingSession,
    {
      $or: [
        { status: { $in: OPEN }, expiresAt: { $lte: new Date(now) } },
        { status: 'completing', expiresAt: { $lte: new Date(now - ABANDONED_COMPLETION_MS) } },
      ],
    },
    { populate: ['partner'], limit: 500 },
  );
  for (const session of due) {
    await failOnboardingSession(em, clock, session, 'expired', 'expired', [session.status]);
  }
  return due.length;
}
