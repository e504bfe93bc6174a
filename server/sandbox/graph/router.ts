import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { SandboxState } from '../state.ts';
import { authenticate } from './caller.ts';
import { displayNameHandler } from './display-name.ts';
import { graphErrorHandler, graphErrors } from './errors.ts';
import { messagesHandler } from './messages.ts';
import { readNode } from './nodes.ts';
import { accessTokenHandler, debugTokenHandler } from './oauth.ts';
import { graphParams, requestedFields } from './params.ts';
import { phoneNumbersHandler } from './phone-numbers.ts';
import { deregisterHandler, registerHandler } from './registration.ts';
import { smbAppDataHandler } from './smb-app-data.ts';
import { listSubscriptionsHandler, subscribeHandler, unsubscribeHandler } from './subscribed-apps.ts';
import { createTemplateHandler, deleteTemplatesHandler, listTemplatesHandler } from './templates.ts';

const VERSION = /^v\d+\.\d+$/;

/** `/sandbox/graph/{version}/…`: the part of the Graph API the hub uses, answering as Meta does. */
export function graphRouter(state: SandboxState): Router {
  const graph = Router({ caseSensitive: true });
  graph.use(express.json({ limit: '1mb', strict: false }));
  graph.use(express.urlencoded({ extended: false, limit: '1mb' }));

  const api = Router({ mergeParams: true });
  api.get('/oauth/access_token', accessTokenHandler(state));
  api.get('/debug_token', debugTokenHandler(state));
  api.get('/:id/phone_numbers', phoneNumbersHandler(state));
  api.get('/:id/subscribed_apps', listSubscriptionsHandler(state));
  api.post('/:id/subscribed_apps', subscribeHandler(state));
  api.delete('/:id/subscribed_apps', unsubscribeHandler(state));
  api.post('/:id/register', registerHandler(state));
  api.post('/:id/deregister', deregisterHandler(state));
  api.post('/:id/messages', messagesHandler(state));
  api.post('/:id/smb_app_data', smbAppDataHandler(state));
  api.get('/:id/message_templates', listTemplatesHandler(state));
  api.post('/:id/message_templates', createTemplateHandler(state));
  api.delete('/:id/message_templates', deleteTemplatesHandler(state));
  api.post('/:id', displayNameHandler(state));
  api.get('/:id', async (req: Request<{ id: string }>, res: Response) => {
    const params = graphParams(req);
    const caller = await authenticate(state, req, params);
    res.json(await readNode(state, caller, req.params.id, requestedFields(params)));
  });
  // Any other method on an object, or an edge the emulator does not have.
  api.use(async (req: Request, _res: Response, next: NextFunction) => {
    const [id, ...rest] = req.path.split('/').filter(Boolean);
    if (id && /^\d+$/.test(id)) {
      await authenticate(state, req, graphParams(req));
      if (rest.length === 0) return next(graphErrors.unsupportedRequest(req.method, id));
    }
    next(graphErrors.unknownPath(req.path));
  });

  graph.use(
    '/:version',
    (req: Request<{ version: string }>, _res: Response, next: NextFunction) => {
      if (!VERSION.test(req.params.version)) return next(graphErrors.unknownPath(`/${req.params.version}`));
      next();
    },
    api,
  );
  graph.use((req: Request) => {
    throw graphErrors.unknownPath(req.path);
  });
  graph.use(graphErrorHandler(state.deps.logger));
  return graph;
}
