import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, Router } from 'express';
import type { Hub } from '../../hub.ts';
import { completeSignupHandler } from './complete.ts';
import { prefillFromExtras, renderDialogError, renderDialogPage } from './dialog-page.ts';

const query = (req: Request, name: string) =>
  typeof req.query[name] === 'string' ? req.query[name] : undefined;

function originOf(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The simulated Embedded Signup: the popup page and the endpoint it (and `hub sandbox onboard`) completes with. */
export function signupRoutes(deps: Hub): Router {
  const routes = Router({ caseSensitive: true });
  routes.post('/embedded-signup/complete', express.json({ limit: '16kb' }), completeSignupHandler(deps));

  routes.get('/embedded-signup', (req: Request, res: Response) => {
    res.type('html').set('Cache-Control', 'no-store');
    if (query(req, 'app_id') !== deps.meta.appId) {
      res.status(400).send(renderDialogError('Invalid App ID', 'The app_id does not name the sandbox app.'));
      return;
    }
    if (query(req, 'config_id') !== deps.meta.configId) {
      res
        .status(400)
        .send(
          renderDialogError(
            'Invalid configuration',
            'The config_id does not name an Embedded Signup configuration.',
          ),
        );
      return;
    }
    const openerOrigin = originOf(query(req, 'opener_origin'));
    if (!openerOrigin) {
      res
        .status(400)
        .send(
          renderDialogError(
            'Missing opener',
            'opener_origin must be the http(s) origin of the page that opened this window.',
          ),
        );
      return;
    }
    // The popup must keep `window.opener` for pages on other origins, which helmet's
    // `same-origin` policy would sever; a page without COOP stays reachable.
    res.set('Cross-Origin-Opener-Policy', 'unsafe-none');
    const channel = query(req, 'channel');
    res.send(
      renderDialogPage({
        openerOrigin,
        channel: channel && /^[\w:.-]{1,100}$/.test(channel) ? channel : 'partner-hub-sandbox-signup',
        sessionId: randomBytes(8).toString('hex'),
        completeUrl: `${req.baseUrl}/embedded-signup/complete`,
        scriptUrl: `${req.baseUrl}/assets/signup-dialog.js`,
        appId: deps.meta.appId,
        prefill: prefillFromExtras(query(req, 'extras')),
      }),
    );
  });
  return routes;
}
