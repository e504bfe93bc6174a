import { Router } from 'express';
import { connectBundles } from '../../client/bundle.ts';

/**
 * The connect button, served by the hub itself so a partner page can load it with one tag:
 * `<script src="https://hub.example.com/client/connect.global.js"></script>`, or import
 * `/client/connect.mjs`. Cross-origin by design, and the same bytes as `npm run build:client`.
 */
export function clientAssetRoutes(): Router {
  const { esm, iife } = connectBundles();
  const router = Router({ caseSensitive: true });
  const headers = {
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Access-Control-Allow-Origin': '*',
    'Cache-Control': 'public, max-age=300',
  };
  router.get('/client/connect.global.js', (_req, res) => {
    res.set(headers).type('application/javascript').send(iife);
  });
  router.get('/client/connect.mjs', (_req, res) => {
    res.set(headers).type('application/javascript').send(esm);
  });
  return router;
}
