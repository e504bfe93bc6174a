import type { EntityManager } from '@mikro-orm/postgresql';
import { type Request, type Response, Router } from 'express';
import type { ConnectionType } from '../../shared/statuses.ts';
import { AppError } from '../errors.ts';
import { requestMetaOf } from '../http/request-meta.ts';
import type { Hub } from '../hub.ts';
import type { Actor } from '../modules/audit/actor.ts';
import {
  cancelFromPage,
  completeOnboardingSession,
  findSessionByToken,
  isExpired,
  openOnboardingSession,
  recordOnboardingWaba,
} from '../modules/onboarding/onboarding-flow.service.ts';
import type { OnboardingSession } from '../modules/onboarding/onboarding-session.entity.ts';
import { recordOnboardingSignupEvent } from '../modules/signup/signup-events.service.ts';
import { spendSignupEventBudget } from './auth-throttle.ts';
import { EmbeddedSignupResultSchema } from './embedded-signup-input.ts';
import { failedPage } from './failed-page.ts';
import { onboardLinkedDeviceRoutes } from './onboard-linked-device-routes.ts';
import { signupSettings } from './permissions-forms.ts';
import type { HostedAuth } from './session.ts';
import { signupEventOf } from './signup-event-input.ts';
import { refuseSuspended } from './suspended-partner.ts';
import { brandOf, messagePage } from './views/layout.ts';
import { onboardPage } from './views/onboard-pages.ts';

/** The tenant is not logged in: the one-time URL is its credential. */
const tenantActor = (req: Request, session: OnboardingSession): Actor => ({
  type: 'system',
  id: `onboarding_session:${session.id}`,
  ...requestMetaOf(req),
});

/** `/onboard/{token}`: the one-time, co-branded onboarding page of an onboarding session. */
export function onboardRoutes(deps: Hub, auth: HostedAuth): Router {
  const router = Router({ caseSensitive: true });

  /** The session, loaded into the request's EntityManager (the one that flushes its changes). */
  async function sessionOf(req: Request, em: EntityManager): Promise<OnboardingSession> {
    const token = String(req.params.token);
    const session = /^[A-Za-z0-9_-]{20,100}$/.test(token) ? await findSessionByToken(em, token) : null;
    if (!session)
      throw new AppError('not_found', 'This onboarding link does not exist: check the link you were given.');
    refuseSuspended(session.partner, brandOf(session.partner).name);
    return session;
  }

  function closedPage(res: Response, session: OnboardingSession, status: string = session.status) {
    const brand = brandOf(session.partner);
    const expired = status === 'expired';
    // 410 Gone says more than the code's 409: the link itself will never work again.
    failedPage(res, 'onboarding_session_closed', 410).send(
      messagePage({
        title: expired ? 'This link has expired' : 'This link was already used',
        message: expired
          ? `Ask ${brand.name} for a new link to connect WhatsApp.`
          : `This onboarding link cannot be used again (it is ${status}). Ask ${brand.name} for a new one if you need to.`,
        brand,
        role: 'alert',
      }),
    );
  }

  // Only renders: link scanners and chat previews fetch the URL, and must not open the session.
  router.get('/onboard/:token', async (req, res) => {
    const em = deps.orm.em.fork();
    const session = await sessionOf(req, em);
    if (isExpired(session, deps.clock)) return closedPage(res, session, 'expired');
    if (session.status !== 'pending' && session.status !== 'opened') return closedPage(res, session);
    res.send(
      onboardPage({
        brand: brandOf(session.partner),
        token: String(req.params.token),
        tenantName: session.tenantName ?? null,
        csrfToken: auth.csrfToken(req, res),
        signup: signupSettings(deps),
        started: session.status === 'opened',
        connectionTypes: session.connectionTypes as ConnectionType[],
        linkedDeviceUrl: deps.config.linkedDevices.enabled
          ? `/onboard/${String(req.params.token)}/linked-device`
          : null,
      }),
    );
  });

  // Start: the tenant's own action opens the session (event `onboarding_session.opened`).
  router.post('/onboard/:token/open', async (req, res) => {
    const em = deps.orm.em.fork();
    const session = await openOnboardingSession(em, deps.clock, await sessionOf(req, em));
    if (session.status !== 'opened') return closedPage(res, session);
    res.redirect(303, `/onboard/${String(req.params.token)}`);
  });

  router.post('/onboard/:token/complete', async (req, res) => {
    const em = deps.orm.em.fork();
    const session = await sessionOf(req, em);
    const signup = EmbeddedSignupResultSchema.parse(req.body);
    if (signup.phoneNumberId === undefined) {
      // FINISH_ONLY_WABA: the client and WABA are kept; the session stays open for the number.
      const waba = await recordOnboardingWaba(em, deps, session, signup, tenantActor(req, session));
      return res.json({
        status: 'waba_pending',
        waba_id: waba.wabaId,
        message:
          'Your WhatsApp Business Account is connected, but it has no phone number yet. Add a number to it, then press Connect WhatsApp again.',
      });
    }
    const outcome = await completeOnboardingSession(
      em,
      deps,
      session,
      { ...signup, phoneNumberId: signup.phoneNumberId },
      tenantActor(req, session),
    );
    if (outcome.status === 'completed') {
      return res.json({
        status: 'completed',
        redirect_url: outcome.redirectUrl,
        message: outcome.redirectUrl
          ? undefined
          : `Done: your number is connected to ${brandOf(session.partner).name}.`,
      });
    }
    res.status(outcome.redirectUrl ? 200 : outcome.error.status).json({
      status: 'failed',
      redirect_url: outcome.redirectUrl,
      error: { code: outcome.error.code, message: outcome.error.message },
      message: outcome.error.message,
    });
  });

  // What Meta's popup reported (FINISH…, CANCEL at a step, ERROR), forwarded by the page's listener.
  router.post('/onboard/:token/signup-events', async (req, res) => {
    const input = signupEventOf(req);
    const em = deps.orm.em.fork();
    const session = await sessionOf(req, em);
    await spendSignupEventBudget(deps.rateLimits, req, res);
    const { abandoned } = await recordOnboardingSignupEvent(em, deps.clock, session, input);
    res.status(201).json({ recorded: true, event: input.event, abandoned });
  });

  if (deps.config.linkedDevices.enabled)
    router.use(onboardLinkedDeviceRoutes(deps, auth, { sessionOf, tenantActor, closedPage }));

  router.post('/onboard/:token/cancel', async (req, res) => {
    const em = deps.orm.em.fork();
    const session = await sessionOf(req, em);
    // A Cancel pressed on a page still open after the number was connected: nothing to undo.
    if (session.status === 'completed') {
      const brand = brandOf(session.partner);
      return res.send(
        messagePage({
          title: 'Already connected',
          message: `Your number is connected to ${brand.name}; nothing was cancelled. You can close this window.`,
          brand,
        }),
      );
    }
    if (session.status !== 'pending' && session.status !== 'opened') return closedPage(res, session);
    const redirect = await cancelFromPage(em, deps.clock, session, tenantActor(req, session));
    if (redirect) return res.redirect(303, redirect);
    res.send(
      messagePage({
        title: 'Cancelled',
        message: 'Nothing was connected. You can close this window.',
        brand: brandOf(session.partner),
      }),
    );
  });

  return router;
}
