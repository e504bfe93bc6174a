import { type NextFunction, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { safeString } from '../../shared/schemas/safe-text.ts';
import { spendBudget } from '../http/budgets.ts';
import { requestMetaOf } from '../http/request-meta.ts';
import type { Hub } from '../hub.ts';
import { Client } from '../modules/clients/client.entity.ts';
import { deleteOwnAccount } from '../modules/clients/client-erasure.service.ts';
import { changeAccess, channelAccessOf } from '../modules/permissions/client-hub.service.ts';
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
    return hubPage({
      csrfToken: auth.csrfToken(req, res),
      email: user.email,
      businessName: client.name ?? null,
      access: await channelAccessOf(em, client),
      deleteError,
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

  router.post('/hub/logout', (req: Request, res: Response, next: NextFunction) => {
    req.logout((err) => (err ? next(err) : res.redirect(303, '/hub')));
  });
  return router;
}
