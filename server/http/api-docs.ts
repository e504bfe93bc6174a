import { createRequire } from 'node:module';
import express, { Router } from 'express';

const require = createRequire(import.meta.url);
const { getAbsoluteFSPath } = require('swagger-ui-dist') as { getAbsoluteFSPath(): string };

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Partner Hub API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// A file rather than an inline script, so the page runs under the default CSP (script-src 'self').
const INIT = `window.ui = SwaggerUIBundle({
  url: '/api/v2/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
});
`;

/** `/docs`: Swagger UI over /api/v2/openapi.json, served from the npm package: no CDN at runtime. */
export function apiDocsRoutes(): Router {
  const routes = Router({ caseSensitive: true });
  routes.use('/docs/assets', express.static(getAbsoluteFSPath(), { index: false, maxAge: '1d' }));
  routes.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  routes.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  return routes;
}
