import { type NextFunction, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { requestMetaOf } from '../http/request-meta.ts';
import { Client } from '../modules/clients/client.entity.ts';
import { changeAccess, channelAccessOf } from '../modules/permissions/client-hub.service.ts';
import { attemptLogin, type HostedAuth } from './session.ts';
import { hubLoginPage, hubPage } from './views/hub-pages.ts';

const AccessSchema = z.object({
  channel_id: z.string().max(64),
  partner_id: z.string().max(64),
  action: z.enum(['grant', 'revoke']),
});

/** `/hub`: a client user's own view of their numbers and of which partners hold them. */
export function hubRoutes(deps: AppDeps, auth: HostedAuth): Router {
  const router = Router({ caseSensitive: true });

  router.get('/hub', async (req: Request, res: Response) => {
    if (!req.user) return res.send(hubLoginPage({ csrfToken: auth.csrfToken(req) }));
    const em = deps.orm.em.fork();
    const client = await em.findOneOrFail(Client, { id: req.user.clientId });
    res.send(
      hubPage({
        csrfToken: auth.csrfToken(req),
        email: req.user.email,
        businessName: client.name ?? null,
        access: await channelAccessOf(em, client),
      }),
    );
  });

  router.post('/hub/login', async (req: Request, res: Response) => {
    if (await attemptLogin(deps, auth, req, res)) return res.redirect(303, '/hub');
    const email = String((req.body as { email?: unknown }).email ?? '');
    res
      .status(401)
      .send(hubLoginPage({ csrfToken: auth.csrfToken(req), error: 'Wrong email or password.', email }));
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

  router.post('/hub/logout', (req: Request, res: Response, next: NextFunction) => {
    req.logout((err) => (err ? next(err) : res.redirect(303, '/hub')));
  });
  return router;
}
