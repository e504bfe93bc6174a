import { readFileSync } from 'node:fs';
import { Router } from 'express';

const read = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');

/**
 * The browser scripts, as files: the hub's CSP (script-src 'self') forbids inline scripts.
 * `fb-sdk.js` is loaded by pages on other origins, so it opts out of helmet's
 * same-origin Cross-Origin-Resource-Policy.
 */
export function assetRoutes(): Router {
  const fbSdk = read('fb-sdk.js');
  const dialog = read('signup-dialog.js');
  const routes = Router({ caseSensitive: true });
  routes.get('/fb-sdk.js', (_req, res) => {
    res
      .set({
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'Access-Control-Allow-Origin': '*',
        'Cache-Control': 'no-cache',
      })
      .type('application/javascript')
      .send(fbSdk);
  });
  routes.get('/assets/signup-dialog.js', (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('application/javascript').send(dialog);
  });
  return routes;
}
