import type { EntityManager } from '@mikro-orm/postgresql';
import { type Request, type Response, Router } from 'express';
import { idPattern } from '../../shared/ids.ts';
import { AppError } from '../errors.ts';
import type { Hub } from '../hub.ts';
import { LinkedDeviceSession } from '../linked-devices/linked-device-session.entity.ts';
import { createLinkedDeviceSession, restartPairing } from '../linked-devices/sessions.service.ts';
import { Client } from '../modules/clients/client.entity.ts';
import { assertClientActive } from '../modules/clients/client-status.service.ts';
import type { Partner } from '../modules/partners/partner.entity.ts';
import { grantedChannelIds } from '../modules/permissions/client-grants.service.ts';
import { permissionsRedirectUrl } from '../modules/permissions/permissions-redirect.ts';
import { assertBillingComplete } from './billing-step.ts';
import { PairingStartSchema, pairingState } from './linked-device-pairing.ts';
import { allowFormTarget, clientUserActor, visitQuery } from './permissions-forms.ts';
import type { PermissionsQuery } from './permissions-params.ts';
import type { HostedAuth } from './session.ts';
import { type Brand, messagePage } from './views/layout.ts';
import { pairingPage } from './views/linked-device-pages.ts';
import { visitFields } from './views/permissions-pages.ts';

/** What permissions-routes.ts checked about the visit (partner, signed link, redirect_url). */
export interface PermissionsVisit {
  partner: Partner;
  query: PermissionsQuery;
  redirectUrl: string | null;
  brand: Brand;
}

export interface LinkedDeviceRouteDeps {
  visit(req: Request, res: Response): Promise<PermissionsVisit>;
  /** The grant page again, with an error (a bad phone number on the offer's form). */
  renderGrant(req: Request, res: Response, v: PermissionsVisit, error: string): Promise<void>;
}

/**
 * "Link a device (unofficial)" on the permission page, mounted only when linked devices are
 * enabled. The signed-in client creates a session for itself and this partner (granted to the
 * partner at once, as createLinkedDeviceSession does), the page follows it to CONNECTED, and
 * Continue goes back to the partner with 360dialog's redirect, as Confirm does. Every route
 * finds the session by id, partner and the signed-in client: another client's is not found.
 */
export function permissionsLinkedDeviceRoutes(
  deps: Hub,
  auth: HostedAuth,
  pages: LinkedDeviceRouteDeps,
): Router {
  const router = Router({ caseSensitive: true });
  const base = '/permissions/:partner_id/linked-devices';

  async function signedInClient(req: Request, em: EntityManager) {
    if (!req.user) throw new AppError('unauthorized', 'Log in first');
    return em.findOneOrFail(Client, { id: req.user.clientId }, { populate: ['partner'] });
  }

  async function ownSession(req: Request, em: EntityManager, partner: Partner) {
    const id = String(req.params.session_id);
    const session = idPattern('linkedDeviceSession').test(id)
      ? await em.findOne(
          LinkedDeviceSession,
          { id, partner, client: req.user?.clientId ?? '' },
          { populate: ['channel', 'client'], refresh: true },
        )
      : null;
    if (!session)
      throw new AppError(
        'not_found',
        'This pairing does not exist: start again from the link you were given.',
      );
    return session;
  }

  const pageUrl = (v: PermissionsVisit, sessionId: string, tail = '') =>
    `/permissions/${v.partner.id}/linked-devices/${sessionId}${tail}${visitQuery(v.query)}`;

  router.post(base, async (req, res) => {
    const v = await pages.visit(req, res);
    const em = deps.orm.em.fork();
    const client = await signedInClient(req, em);
    const form = PairingStartSchema.safeParse(req.body ?? {});
    if (!form.success) {
      res.status(400).set('X-Error-Code', 'validation_failed');
      return pages.renderGrant(req, res, v, form.error.issues[0]!.message);
    }
    assertBillingComplete(client);
    assertClientActive(client, 'connect numbers');
    const session = await createLinkedDeviceSession(
      em,
      deps,
      { partner: v.partner, client, pairingPhoneNumber: form.data.phone_number ?? null },
      clientUserActor(req),
    );
    res.redirect(303, pageUrl(v, session.id));
  });

  router.get(`${base}/:session_id`, async (req, res) => {
    const v = await pages.visit(req, res);
    const em = deps.orm.em.fork();
    await signedInClient(req, em);
    const session = await ownSession(req, em, v.partner);
    // Continue posts here and leaves for the partner's origin: `form-action` must allow it.
    if (v.redirectUrl) allowFormTarget(res, new URL(v.redirectUrl).origin);
    res.send(
      pairingPage({
        brand: v.brand,
        state: await pairingState(session),
        csrfToken: auth.csrfToken(req, res),
        statusUrl: pageUrl(v, session.id, '/status'),
        restartUrl: `/permissions/${v.partner.id}/linked-devices/${session.id}/restart`,
        doneUrl: `/permissions/${v.partner.id}/linked-devices/${session.id}/done`,
        backUrl: `/permissions/${v.partner.id}${visitQuery(v.query)}`,
        hidden: visitFields(v.query),
      }),
    );
  });

  // The page's poll: JSON only, for this client's own session.
  router.get(`${base}/:session_id/status`, async (req, res) => {
    const v = await pages.visit(req, res);
    const em = deps.orm.em.fork();
    await signedInClient(req, em);
    const session = await ownSession(req, em, v.partner);
    res.json(await pairingState(session));
  });

  // "Show a new code": the codes ran out or the phone unlinked it.
  router.post(`${base}/:session_id/restart`, async (req, res) => {
    const v = await pages.visit(req, res);
    const em = deps.orm.em.fork();
    await signedInClient(req, em);
    const session = await ownSession(req, em, v.partner);
    await restartPairing(em, deps, session, undefined, clientUserActor(req));
    res.redirect(303, pageUrl(v, session.id));
  });

  // Paired: back to the partner with the channels it now has, as Confirm ends.
  router.post(`${base}/:session_id/done`, async (req, res) => {
    const v = await pages.visit(req, res);
    const em = deps.orm.em.fork();
    const client = await signedInClient(req, em);
    const session = await ownSession(req, em, v.partner);
    if (session.status !== 'CONNECTED') return res.redirect(303, pageUrl(v, session.id));
    if (!v.redirectUrl) {
      return res.send(
        messagePage({
          title: 'All set',
          message: `Your phone is linked, and ${v.brand.name} can use +${session.phoneNumber ?? session.channel.phoneNumber}. You can close this window.`,
          brand: v.brand,
        }),
      );
    }
    const granted = await grantedChannelIds(em, v.partner, client);
    res.redirect(
      303,
      permissionsRedirectUrl(v.redirectUrl, {
        clientId: client.id,
        channels: [...granted],
        revoked: [],
        state: v.query.state,
      }),
    );
  });

  return router;
}
