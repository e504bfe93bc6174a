import { type NextFunction, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { safeString } from '../../shared/schemas/safe-text.ts';
import { AppError } from '../errors.ts';
import { spendBudget } from '../http/budgets.ts';
import { requestMetaOf } from '../http/request-meta.ts';
import type { Hub } from '../hub.ts';
import { Statement } from '../modules/billing/statement.entity.ts';
import { toStatementView } from '../modules/billing/statements.service.ts';
import { Client } from '../modules/clients/client.entity.ts';
import { deleteOwnAccount } from '../modules/clients/client-erasure.service.ts';
import { changeAccess, channelAccessOf } from '../modules/permissions/client-hub.service.ts';
import { renderReplaceCard, replaceCard } from './billing-step.ts';
import { failedPage } from './failed-page.ts';
import { attemptLogin, type HostedAuth } from './session.ts';
import { accountDeletedPage, hubLoginPage, hubPage } from './views/hub-pages.ts';

const AccessSchema = z.object({
  channel_id: safeString().max(64),
  partner_id: safeString().max(64),
  action: z.enum(['grant', 'revoke']),
});

const DeleteAccountSchema = z.object({ password: safeString().max(200) });

/** `/hub`: a client user's own view of their numbers and of which partners hold them. */
export function hubRoutes(deps: Hub, auth: HostedAuth): Router {
  const router = Router({ caseSensitive: true });

  async function renderHub(
    req: Request,
    res: Response,
    user: Express.User,
    deleteError?: string,
  ): Promise<string> {
    const em = deps.orm.em.fork();
    const client = await em.findOneOrFail(Client, { id: user.clientId });
    const statements =
      client.paymentModel === 'direct'
        ? await em.find(Statement, { client }, { orderBy: { id: 'desc' }, limit: 24, populate: ['partner'] })
        : [];
    return hubPage({
      csrfToken: auth.csrfToken(req, res),
      email: user.email,
      businessName: client.name ?? null,
      access: await channelAccessOf(em, client),
      deleteError,
      billing:
        client.paymentModel === 'direct'
          ? {
              card: client.paymentMethodLabel ?? null,
              status: client.billingStatus,
              statements: statements.map(toStatementView),
            }
          : null,
    });
  }

  router.get('/hub', async (req: Request, res: Response) => {
    if (!req.user) return res.send(hubLoginPage({ csrfToken: auth.csrfToken(req, res) }));
    res.send(await renderHub(req, res, req.user));
  });

  router.post('/hub/login', async (req: Request, res: Response) => {
    const login = await attemptLogin(deps, auth, req, res);
    if (login.ok) return res.redirect(303, '/hub');
    failedPage(res, login.code).send(
      hubLoginPage({ csrfToken: auth.csrfToken(req, res), error: login.error, email: login.email }),
    );
  });

  router.post('/hub/access', async (req: Request, res: Response) => {
    if (!req.user) return res.redirect(303, '/hub');
    const input = AccessSchema.parse(req.body);
    const em = deps.orm.em.fork();
    const client = await em.findOneOrFail(Client, { id: req.user.clientId });
    await changeAccess(
      em,
      deps.clock,
      client,
      { channelId: input.channel_id, partnerId: input.partner_id, action: input.action },
      { type: 'client_user', id: req.user.id, ...requestMetaOf(req) },
    );
    res.redirect(303, '/hub');
  });

  // GDPR erasure by the user: the password again (a borrowed, unlocked session is not enough),
  // throttled like a login so the form cannot be used to guess it.
  router.post('/hub/account/delete', async (req: Request, res: Response, next: NextFunction) => {
    const user = req.user;
    if (!user) return res.redirect(303, '/hub');
    const { password } = DeleteAccountSchema.parse(req.body);
    await spendBudget(deps.rateLimits, `account-delete|${user.id}`, 'login', (h) => res.set(h));
    const outcome = await deleteOwnAccount(deps.orm.em.fork(), deps.clock, user.id, password, {
      type: 'client_user',
      id: user.id,
      ...requestMetaOf(req),
    });
    if (!outcome.deleted) {
      return failedPage(res, 'unauthorized').send(
        await renderHub(req, res, user, 'Wrong password: your account was not deleted.'),
      );
    }
    // The session row is gone already; forget it here too, so nothing writes it back.
    req.session.destroy((err) => (err ? next(err) : res.send(accountDeletedPage())));
  });

  // Direct Payment: a new card for the next statement and any that failed.
  router.get('/hub/billing/card', async (req: Request, res: Response) => {
    if (!req.user) return res.redirect(303, '/hub');
    const client = await deps.orm.em
      .fork()
      .findOneOrFail(Client, { id: req.user.clientId }, { populate: ['partner'] });
    if (client.paymentModel !== 'direct') return res.redirect(303, '/hub');
    res.send(
      await renderReplaceCard(deps, client, { email: req.user.email, csrfToken: auth.csrfToken(req, res) }),
    );
  });

  router.post('/hub/billing/card', async (req: Request, res: Response) => {
    if (!req.user) throw new AppError('unauthorized', 'Log in first');
    const client = await deps.orm.em
      .fork()
      .findOneOrFail(Client, { id: req.user.clientId }, { populate: ['partner'] });
    if (client.paymentModel !== 'direct')
      throw new AppError('conflict', 'Your provider does not bill you directly');
    await replaceCard(deps, client, req.body, {
      type: 'client_user',
      id: req.user.id,
      ...requestMetaOf(req),
    });
    res.json({ saved: true, next: '/hub#billing' });
  });

  router.post('/hub/logout', (req: Request, res: Response, next: NextFunction) => {
    req.logout((err) => (err ? next(err) : res.redirect(303, '/hub')));
  });
  return router;
}
