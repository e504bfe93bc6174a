import { createRequire } from 'node:module';
import express, { Router } from 'express';

const require = createRequire(import.meta.url);
// The package's index also evaluates the 1.5 MB UI bundle (~150 ms of every process's start);
// only the assets' directory is needed here, the browser loads the bundle.
const getAbsoluteFSPath = require('swagger-ui-dist/absolute-path.js') as () => string;

// With two documents, Swagger UI's standalone layout adds its top bar: the menu that switches between them.
const page = (standalone: boolean) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Partner Hub API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="stylesheet" href="/docs/a11y.css">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
${standalone ? '  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>\n' : ''}  <script src="/docs/init.js"></script>
</body>
</html>
`;

const PARTNER_API = { url: '/api/v2/openapi.json', name: 'Partner API (/api/v2)' };
const WHATHOOKS_API = { url: '/v1/openapi.json', name: 'whathooks-compatible (/v1)' };

// A file rather than an inline script, so the page runs under the default CSP (script-src 'self').
// Deep links would put a link inside each operation's toggle button (nested interactive
// controls); the servers menu gets the name Swagger UI leaves out. With /v1 served, Swagger UI's
// document menu offers both, the partner API first.
const init = (documents: { url: string; name: string }[]) => `window.ui = SwaggerUIBundle({
${
  documents.length === 1
    ? `  url: '${documents[0]!.url}',`
    : `  urls: ${JSON.stringify(documents)},
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',`
}
  dom_id: '#swagger-ui',
  deepLinking: false,
  persistAuthorization: false,
});
new MutationObserver(() => {
  const servers = document.getElementById('servers');
  if (servers && !servers.hasAttribute('aria-label')) servers.setAttribute('aria-label', 'Server');
}).observe(document.getElementById('swagger-ui'), { childList: true, subtree: true });
`;

// Swagger UI's defaults fall short of WCAG AA contrast (4.5:1) for small text: darker shades of
// the same colours.
const A11Y_CSS = `.swagger-ui .opblock.opblock-get .opblock-summary-method { background: #1a5fb4; }
.swagger-ui .opblock.opblock-post .opblock-summary-method { background: #1e7a4c; }
.swagger-ui .opblock.opblock-patch .opblock-summary-method, .swagger-ui .opblock.opblock-put .opblock-summary-method { background: #8a5a00; }
.swagger-ui .opblock.opblock-delete .opblock-summary-method { background: #b3261e; }
.swagger-ui .info .title small { background: #4a5160; }
.swagger-ui .info .title small.version-stamp { background: #3d6b00; }
.swagger-ui .info a.link .url, .swagger-ui .info a.link, .swagger-ui .info .description a { color: #1a5fb4; }
.swagger-ui .btn.authorize { color: #1e7a4c; border-color: #1e7a4c; }
.swagger-ui .btn.authorize span { color: #1e7a4c; }
.swagger-ui .btn.authorize svg { fill: #1e7a4c; }
.swagger-ui .json-schema-2020-12-expand-deep-button { color: #4a5160; }
`;

/**
 * `/docs`: Swagger UI over /api/v2/openapi.json (and /v1/openapi.json when the whathooks API is
 * served), from the npm package: no CDN at runtime.
 */
export function apiDocsRoutes(options: { whathooks: boolean }): Router {
  const INIT = init(options.whathooks ? [PARTNER_API, WHATHOOKS_API] : [PARTNER_API]);
  const PAGE = page(options.whathooks);
  const routes = Router({ caseSensitive: true });
  routes.use('/docs/assets', express.static(getAbsoluteFSPath(), { index: false, maxAge: '1d' }));
  routes.get('/docs/a11y.css', (_req, res) => {
    res.type('text/css').send(A11Y_CSS);
  });
  routes.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  routes.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  return routes;
}
