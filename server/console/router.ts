import { appRouter } from '../trpc/router.ts';
import { mergeRouters, router } from '../trpc/trpc.ts';
import { accountRouter } from './routers/account.ts';
import { invitesRouter } from './routers/invites.ts';
import { operatorRouter } from './routers/operator.ts';
import { sandboxRouter } from './routers/sandbox.ts';
import { sessionRouter } from './routers/session.ts';
import { teamRouter } from './routers/team.ts';
import { webhooksRouter } from './routers/webhooks.ts';

/**
 * What the console calls on `/console/trpc`: the whole partner API (the same procedures
 * partner backends call on `/trpc`, here authorised by a console session and its role) and
 * the console's own procedures under `console.*`.
 */
export const consoleRouter = mergeRouters(
  appRouter,
  router({
    console: router({
      session: sessionRouter,
      team: teamRouter,
      invites: invitesRouter,
      account: accountRouter,
      sandbox: sandboxRouter,
      operator: operatorRouter,
      webhooks: webhooksRouter,
    }),
  }),
);

export type ConsoleRouter = typeof consoleRouter;
