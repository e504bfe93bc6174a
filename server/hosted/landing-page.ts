import { Router } from 'express';
import { html } from '../http/html.ts';
import type { Hub } from '../hub.ts';
import { layout } from './views/layout.ts';

/**
 * `/`: the first URL the boot banner prints. A small page pointing where a newcomer (or an
 * operator checking a deployment) goes next; the demo only where the sandbox serves it.
 */
export function landingRoutes(hub: Hub): Router {
  const routes = Router({ caseSensitive: true });
  const sandbox = hub.config.meta.mode === 'sandbox';
  const page = layout({
    title: 'Partner Hub',
    brand: null,
    body: html`<section class="card">
<h1>Partner Hub</h1>
<p>This hub is running. Partners use its API; their clients reach its hosted pages through the links partners give them.</p>
<ul>
${sandbox ? html`<li><a href="/demo">Demo</a>: a partner portal against the Meta sandbox (start here)</li>` : ''}
<li><a href="/docs">API reference</a> (<a href="/api/v2/openapi.json">OpenAPI document</a>, <a href="/api/v2/postman.json">Postman collection</a>)</li>
<li><a href="/docs/connect-button">Connect button generator</a></li>
<li>Health: <a href="/livez">/livez</a> (the process answers), <a href="/readyz">/readyz</a> (database, migrations, worker)</li>
</ul>
</section>`,
  });
  routes.get('/', (_req, res) => {
    res.type('html').send(page);
  });
  return routes;
}
