import type { EntityManager } from '@mikro-orm/postgresql';
import { type Request, type Response, Router } from 'express';
import { AppError } from '../errors.ts';
import type { Hub } from '../hub.ts';
import type { LinkedDeviceSession } from '../linked-devices/linked-device-session.entity.ts';
import { restartPairing } from '../linked-devices/sessions.service.ts';
import type { Actor } from '../modules/audit/actor.ts';
import { isExpired, type OnboardingOutcome } from '../modules/onboarding/onboarding-flow.service.ts';
import {
  completeOnboardingWithLinkedDevice,
  onboardingLinkedDevice,
  startOnboardingLinkedDevice,
} from '../modules/onboarding/onboarding-linked-device.service.ts';
import type { OnboardingSession } from '../modules/onboarding/onboarding-session.entity.ts';
import { failedPage } from './failed-page.ts';
import { PairingStartSchema, pairingState } from './linked-device-pairing.ts';
import { allowFormTarget } from './permissions-forms.ts';
import type { HostedAuth } from './session.ts';
import { brandOf, messagePage } from './views/layout.ts';
import { pairingPage } from './views/linked-device-pages.ts';

export interface OnboardPages {
  sessionOf(req: Request, em: EntityManager): Promise<OnboardingSession>;
  tenantActor(req: Request, session: OnboardingSession): Actor;
  closedPage(res: Response, session: OnboardingSession, status?: string): void;
}

/**
 * "Link a device (unofficial)" in an onboarding session, mounted only when linked devices are
 * enabled. The one-time URL is the tenant's credential, as for Embedded Signup: every route
 * finds the linked device through the session the token names, never by an id from the request.
 */
export function onboardLinkedDeviceRoutes(deps: Hub, auth: HostedAuth, pages: OnboardPages): Router {
  const router = Router({ caseSensitive: true });
  const base = '/onboard/:token/linked-device';
  const pageUrl = (req: Request, tail = '') => `/onboard/${String(req.params.token)}/linked-device${tail}`;

  /** The open session and the device it is pairing; a closed session's page says it is closed. */
  async function pairing(req: Request, res: Response, em: EntityManager) {
    const session = await pages.sessionOf(req, em);
    if (isExpired(session, deps.clock)) {
      pages.closedPage(res, session, 'expired');
      return null;
    }
    const linked = await onboardingLinkedDevice(em, session);
    if (!linked)
      throw new AppError('not_found', 'Nothing is being linked on this link: choose “Link a device” first.');
    return { session, linked };
  }

  router.post(base, async (req, res) => {
    const em = deps.orm.em.fork();
    const session = await pages.sessionOf(req, em);
    const form = PairingStartSchema.safeParse(req.body ?? {});
    if (!form.success) {
      return failedPage(res, 'validation_failed').send(
        messagePage({
          title: 'Check the phone number',
          message: form.error.issues[0]!.message,
          brand: brandOf(session.partner),
          role: 'alert',
        }),
      );
    }
    if (session.status !== 'opened' && session.status !== 'pending') return pages.closedPage(res, session);
    await startOnboardingLinkedDevice(
      em,
      deps,
      session,
      { pairingPhoneNumber: form.data.phone_number ?? null },
      pages.tenantActor(req, session),
    );
    res.redirect(303, pageUrl(req));
  });

  router.get(base, async (req, res) => {
    const em = deps.orm.em.fork();
    const found = await pairing(req, res, em);
    if (!found) return;
    const { session, linked } = found;
    // Completed when the phone paired (by the runner, the page closed or not): reloading lands
    // where Continue would have.
    if (session.status === 'completed' && linked.status === 'CONNECTED')
      return answerOutcome(res, session, await complete(req, em, session, linked));
    if (session.status !== 'opened') return pages.closedPage(res, session);
    // Continue posts to the hub, which sends the tenant on to the partner's success or failure page.
    for (const url of [session.successRedirectUrl, session.failureRedirectUrl])
      if (url) allowFormTarget(res, new URL(url).origin);
    res.send(
      pairingPage({
        brand: brandOf(session.partner),
        state: await pairingState(linked),
        csrfToken: auth.csrfToken(req, res),
        statusUrl: pageUrl(req, '/status'),
        restartUrl: pageUrl(req, '/restart'),
        doneUrl: pageUrl(req, '/done'),
        backUrl: null,
      }),
    );
  });

  router.get(`${base}/status`, async (req, res) => {
    const em = deps.orm.em.fork();
    const found = await pairing(req, res, em);
    if (found) res.json(await pairingState(found.linked));
  });

  router.post(`${base}/restart`, async (req, res) => {
    const em = deps.orm.em.fork();
    const found = await pairing(req, res, em);
    if (!found) return;
    if (found.session.status !== 'opened') return pages.closedPage(res, found.session);
    await restartPairing(em, deps, found.linked, undefined, pages.tenantActor(req, found.session));
    res.redirect(303, pageUrl(req));
  });

  // Paired: the onboarding session completes as Embedded Signup's does, once.
  router.post(`${base}/done`, async (req, res) => {
    const em = deps.orm.em.fork();
    const found = await pairing(req, res, em);
    if (!found) return;
    const { session, linked } = found;
    if (linked.status !== 'CONNECTED') return res.redirect(303, pageUrl(req));
    answerOutcome(res, session, await complete(req, em, session, linked));
  });

  const complete = (
    req: Request,
    em: EntityManager,
    session: OnboardingSession,
    linked: LinkedDeviceSession,
  ) => completeOnboardingWithLinkedDevice(em, deps, session, linked, pages.tenantActor(req, session));

  function answerOutcome(res: Response, session: OnboardingSession, outcome: OnboardingOutcome) {
    if (outcome.redirectUrl) return res.redirect(303, outcome.redirectUrl);
    const brand = brandOf(session.partner);
    if (outcome.status === 'failed') {
      return failedPage(res, outcome.error.code).send(
        messagePage({
          title: 'Something is not right',
          message: outcome.error.message,
          brand,
          role: 'alert',
        }),
      );
    }
    res.send(
      messagePage({
        title: 'All set',
        message: `Done: your phone is linked to ${brand.name}. You can close this window.`,
        brand,
      }),
    );
  }

  return router;
}
