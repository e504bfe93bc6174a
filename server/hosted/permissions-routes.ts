import type { NextFunction, Request, Response } from 'express';
import { Router } from 'express';
import type { ErrorCode } from '../../shared/errors.ts';
import { idPattern } from '../../shared/ids.ts';
import { AppError } from '../errors.ts';
import type { Hub } from '../hub.ts';
import { billingComplete } from '../modules/billing/card-setup.service.ts';
import { termsInForce } from '../modules/billing/terms.service.ts';
import { provisionChannel } from '../modules/channels/provisioning.service.ts';
import { Client } from '../modules/clients/client.entity.ts';
import { signUpClientUser } from '../modules/clients/client-accounts.service.ts';
import { normaliseEmail } from '../modules/clients/email.ts';
import { Partner } from '../modules/partners/partner.entity.ts';
import {
  channelsOfClient,
  grantedChannelIds,
  setClientGrants,
} from '../modules/permissions/client-grants.service.ts';
import { permissionsRedirectUrl } from '../modules/permissions/permissions-redirect.ts';
import { recordClientSignupEvent, recordWabaWithoutNumber } from '../modules/signup/signup-events.service.ts';
import { spendSignupBudget, spendSignupEventBudget } from './auth-throttle.ts';
import { acceptPricesAndCard, assertBillingComplete, renderPricePage } from './billing-step.ts';
import { EmbeddedSignupResultSchema } from './embedded-signup-input.ts';
import { failedPage } from './failed-page.ts';
import {
  allowFormTarget,
  ConfirmSchema,
  clientUserActor,
  PERMISSIONS_PAGE_PATHS,
  SignupSchema,
  signupSettings,
  visitQuery,
} from './permissions-forms.ts';
import { permissionsLinkedDeviceRoutes } from './permissions-linked-device-routes.ts';
import { linkProofOf, PermissionsQuerySchema, resolveRedirect } from './permissions-params.ts';
import { attemptLogin, type HostedAuth } from './session.ts';
import { SIGNED_PARAMS, type SignedParams, SignedVisits } from './signed-visit.ts';
import { signupEventOf } from './signup-event-input.ts';
import { refuseSuspended } from './suspended-partner.ts';
import { brandOf, messagePage } from './views/layout.ts';
import { authPage, grantPage } from './views/permissions-pages.ts';

export function permissionsRoutes(deps: Hub, auth: HostedAuth): Router {
  const router = Router({ caseSensitive: true });

  const visits = new SignedVisits(deps.sessionSecret, deps.config.nodeEnv === 'production');

  /**
   * The partner named in the path, with the visit checked: unknown partner 404, bad
   * redirect_url 400. For a partner that requires signed links, the covered parameters come
   * only from a fresh version-2 signature or from what one proved earlier in this browser
   * (signed-visit.ts); without either the page is refused.
   */
  async function visit(req: Request, res: Response) {
    const partnerId = String(req.params.partner_id);
    const em = deps.orm.em.fork();
    const partner = idPattern('partner').test(partnerId)
      ? await em.findOne(Partner, { id: partnerId })
      : null;
    if (!partner) throw new AppError('not_found', 'This page does not exist: check the link you were given.');
    const brand = brandOf(partner);
    refuseSuspended(partner, brand.name);
    const raw = ((req.method === 'GET' ? req.query : req.body) ?? {}) as Record<string, unknown>;
    let query = PermissionsQuerySchema.parse(raw);
    const now = deps.clock.now();
    const proof = await linkProofOf(em, deps.secretBox, partner, query, raw, now);
    let signed: SignedParams | null = null;
    if (partner.requireSignedLinks) {
      signed = proof?.version === 2 ? proof.params : visits.recall(req, partner.id, now);
      if (!signed) {
        throw new AppError(
          'forbidden',
          `${brand.name} opens this page only from its own signed link: go back to ${brand.name} and start again.`,
        );
      }
      if (proof?.version === 2) visits.remember(res, partner.id, signed, now);
      const unsigned = Object.entries(raw).filter(([k]) => !(SIGNED_PARAMS as readonly string[]).includes(k));
      query = PermissionsQuerySchema.parse({ ...Object.fromEntries(unsigned), ...signed });
    }
    const redirect = resolveRedirect(partner, query.redirect_url);
    if (!redirect.ok) {
      throw new AppError(
        'validation_failed',
        `${brand.name} sent you here with a return address it has not registered, so we will not send you there. Contact ${brand.name}.`,
        { field: 'redirect_url' },
      );
    }
    return {
      partner,
      query,
      redirectUrl: redirect.url,
      brand,
      trusted: proof !== null || signed !== null,
      signed,
    };
  }

  /** Partner Payment: the terms the sign-up form links to (Direct Payment asks on its own page). */
  async function signupTerms(partner: Partner) {
    if (partner.paymentModel !== 'partner') return null;
    return termsInForce(deps.orm.em.fork(), deps.clock.now());
  }

  async function renderAuth(
    req: Request,
    res: Response,
    v: Awaited<ReturnType<typeof visit>>,
    mode: 'signup' | 'login',
    extra: { error?: string; code?: ErrorCode; email?: string; name?: string } = {},
  ) {
    const trusted = v.trusted;
    const terms = mode === 'signup' ? await signupTerms(v.partner) : null;
    (extra.code ? failedPage(res, extra.code) : res).send(
      authPage({
        brand: v.brand,
        partnerId: v.partner.id,
        mode,
        query: v.query,
        csrfToken: auth.csrfToken(req, res),
        trusted,
        values: { email: extra.email ?? v.query.email, name: extra.name ?? v.query.name },
        error: extra.error,
        switchUrl: `/permissions/${v.partner.id}${visitQuery(v.query, { next: mode === 'signup' ? 'login' : 'signup' })}`,
        terms: terms && { url: terms.url, version: terms.version },
      }),
    );
  }

  async function renderGrant(
    req: Request,
    res: Response,
    v: Awaited<ReturnType<typeof visit>>,
    error?: string,
  ) {
    // The form's redirect leaves for the partner's origin, and browsers hold redirects after a
    // form to `form-action` too.
    if (v.redirectUrl) allowFormTarget(res, new URL(v.redirectUrl).origin);
    const em = deps.orm.em.fork();
    const client = await em.findOneOrFail(Client, { id: req.user!.clientId });
    (error ? failedPage(res, 'validation_failed') : res).send(
      grantPage({
        brand: v.brand,
        partnerId: v.partner.id,
        query: v.query,
        csrfToken: auth.csrfToken(req, res),
        email: req.user!.email,
        channels: await channelsOfClient(em, client),
        granted: await grantedChannelIds(em, v.partner, client),
        added: visits.addedChannel(v.query, client.id),
        signup: signupSettings(deps),
        error,
        linkedDeviceUrl: deps.config.linkedDevices.enabled
          ? `/permissions/${v.partner.id}/linked-devices`
          : null,
      }),
    );
  }

  router.get(PERMISSIONS_PAGE_PATHS, async (req, res) => {
    const v = await visit(req, res);
    if (req.user) {
      const client = await deps.orm.em
        .fork()
        .findOneOrFail(Client, { id: req.user.clientId }, { populate: ['partner'] });
      if (!billingComplete(client)) {
        const page = await renderPricePage(deps, client, {
          brand: v.brand,
          email: req.user.email,
          csrfToken: auth.csrfToken(req, res),
          completeUrl: `/permissions/${v.partner.id}/billing${visitQuery(v.query)}`,
          returnUrl: `${deps.config.publicUrl}/permissions/${v.partner.id}${visitQuery(v.query)}`,
        });
        return res.status(page.status).send(page.html);
      }
      return renderGrant(req, res, v);
    }
    return renderAuth(req, res, v, v.query.next === 'login' ? 'login' : 'signup');
  });

  router.post('/permissions/:partner_id/signup', async (req, res, next: NextFunction) => {
    const v = await visit(req, res);
    const form = SignupSchema.safeParse(req.body);
    const body = req.body as Record<string, string | undefined>;
    if (!form.success) {
      return renderAuth(req, res, v, 'signup', {
        error: form.error.issues[0]!.message,
        code: 'validation_failed',
        email: body.email,
        name: body.name,
      });
    }
    // A signed email is the partner's word for who signs up; the read-only field is only the browser's.
    if (v.signed?.email !== undefined && normaliseEmail(form.data.email) !== normaliseEmail(v.signed.email)) {
      return renderAuth(req, res, v, 'signup', {
        error: `Sign up with the email ${v.brand.name} gave: ${v.signed.email}.`,
        code: 'validation_failed',
        name: body.name,
      });
    }
    const terms = await signupTerms(v.partner);
    if (terms && form.data.terms_version !== terms.version) {
      return renderAuth(req, res, v, 'signup', {
        error:
          'The terms of service were updated while you were on this page: review them and create your account again.',
        code: 'conflict',
        email: body.email,
        name: body.name,
      });
    }
    await spendSignupBudget(deps.rateLimits, req, res);
    let user: Express.User;
    try {
      const created = await signUpClientUser(
        deps.orm.em.fork(),
        deps.clock,
        v.partner,
        {
          email: form.data.email,
          password: form.data.password,
          name: form.data.name,
          businessName: form.data.business_name,
          partnerPayload: v.query.partner,
          acceptedTerms: terms ? { version: terms.version } : undefined,
        },
        clientUserActor(req),
      );
      user = { id: created.id, clientId: created.client.id, email: created.email };
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') {
        return renderAuth(req, res, v, 'login', {
          error: err.message,
          code: 'conflict',
          email: form.data.email,
        });
      }
      throw err;
    }
    req.login(user, (err) => {
      if (err) return next(err);
      res.redirect(303, `/permissions/${v.partner.id}${visitQuery(v.query)}`);
    });
  });

  // Direct Payment's step: the card the page confirmed with the payment provider, and the
  // terms and price list the client accepted with it.
  router.post('/permissions/:partner_id/billing', async (req, res) => {
    const v = await visit(req, res);
    if (!req.user) throw new AppError('unauthorized', 'Log in first');
    const client = await deps.orm.em
      .fork()
      .findOneOrFail(Client, { id: req.user.clientId }, { populate: ['partner'] });
    await acceptPricesAndCard(deps, client, req.body, clientUserActor(req));
    res.json({ saved: true, next: `/permissions/${v.partner.id}${visitQuery(v.query)}` });
  });

  router.post('/permissions/:partner_id/login', async (req, res) => {
    const v = await visit(req, res);
    const login = await attemptLogin(deps, auth, req, res);
    if (login.ok) return res.redirect(303, `/permissions/${v.partner.id}${visitQuery(v.query)}`);
    return renderAuth(req, res, v, 'login', { error: login.error, code: login.code, email: login.email });
  });

  router.post('/permissions/:partner_id/confirm', async (req, res) => {
    const v = await visit(req, res);
    if (!req.user)
      return res.redirect(303, `/permissions/${v.partner.id}${visitQuery(v.query, { next: 'login' })}`);
    const { channels } = ConfirmSchema.parse(req.body);
    const em = deps.orm.em.fork();
    const client = await em.findOneOrFail(Client, { id: req.user.clientId });
    assertBillingComplete(client);
    const outcome = await setClientGrants(em, deps.clock, v.partner, client, channels, clientUserActor(req));
    if (!v.redirectUrl) {
      const count = outcome.channels.length;
      return res.send(
        messagePage(
          count === 0
            ? {
                title: 'No number shared',
                message: `${v.brand.name} has no access to your numbers${outcome.revoked.length ? ' any more' : ''}. To share one, open the link again and tick it.`,
                brand: v.brand,
              }
            : {
                title: 'All set',
                message: `${v.brand.name} now has access to ${count === 1 ? '1 of your numbers' : `${count} of your numbers`}. You can close this window.`,
                brand: v.brand,
              },
        ),
      );
    }
    res.redirect(
      303,
      permissionsRedirectUrl(v.redirectUrl, {
        clientId: client.id,
        channels: outcome.channels,
        revoked: outcome.revoked,
        state: v.query.state,
      }),
    );
  });

  // "Add a number": the page hands over what Embedded Signup returned; the channel joins the
  // user's business (the partner gets access only when the user confirms).
  router.post('/permissions/:partner_id/channels', async (req, res) => {
    const v = await visit(req, res);
    if (!req.user) throw new AppError('unauthorized', 'Log in first');
    const signup = EmbeddedSignupResultSchema.parse(req.body);
    const em = deps.orm.em.fork();
    const client = await em.findOneOrFail(Client, { id: req.user.clientId }, { populate: ['partner'] });
    assertBillingComplete(client);
    if (signup.phoneNumberId === undefined) {
      // FINISH_ONLY_WABA: nothing to share yet; the WABA waits for a number.
      const waba = await recordWabaWithoutNumber(em, deps, { client, ...signup }, clientUserActor(req));
      return res.json({
        status: 'waba_pending',
        waba_id: waba.wabaId,
        partner_id: v.partner.id,
        message:
          'Your WhatsApp Business Account is connected, but it has no phone number yet. Add a number to it, then press Add a number again.',
      });
    }
    const { channel, created } = await provisionChannel(
      em,
      deps,
      { client, ...signup, phoneNumberId: signup.phoneNumberId },
      clientUserActor(req),
    );
    res.status(created ? 201 : 200).json({
      channel_id: channel.id,
      // The page comes back with `added` to tick the new number; only the hub can sign it.
      added_sig: visits.signAdded(client.id, channel.id),
      phone_number: channel.phoneNumber,
      status: channel.status,
      partner_id: v.partner.id,
    });
  });

  // What Meta's popup reported (FINISH…, CANCEL at a step, ERROR), against the logged-in client.
  router.post('/permissions/:partner_id/signup-events', async (req, res) => {
    const input = signupEventOf(req);
    const v = await visit(req, res);
    if (!req.user) throw new AppError('unauthorized', 'Log in first');
    await spendSignupEventBudget(deps.rateLimits, req, res);
    const em = deps.orm.em.fork();
    const client = await em.findOneOrFail(Client, { id: req.user.clientId });
    await recordClientSignupEvent(em, deps.clock, v.partner, client, input);
    res.status(201).json({ recorded: true, event: input.event });
  });

  if (deps.config.linkedDevices.enabled)
    router.use(permissionsLinkedDeviceRoutes(deps, auth, { visit, renderGrant }));

  router.post('/permissions/:partner_id/logout', async (req, res, next: NextFunction) => {
    const v = await visit(req, res);
    req.logout((err) => {
      if (err) return next(err);
      res.redirect(303, `/permissions/${v.partner.id}${visitQuery(v.query, { next: 'login' })}`);
    });
  });

  return router;
}
