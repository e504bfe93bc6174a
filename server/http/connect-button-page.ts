import { Router } from 'express';

/**
 * `/docs/connect-button`: a partner fills in its partner id and the `/permissions` parameters and
 * gets a live connect button (the hub's own `<partner-hub-connect>` element, served by this hub)
 * with the snippets for the hub's client package and for 360dialog's React `ConnectButton`.
 * Everything the partner types reaches the page through `textContent`, attributes and
 * `URLSearchParams` only: the page never builds HTML from input.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Connect button generator · Partner Hub</title>
  <link rel="stylesheet" href="/docs/connect-button.css">
</head>
<body>
<main>
  <h1>Connect button generator</h1>
  <p>Fill in your partner id and the <a href="/docs">/permissions</a> parameters your clients should arrive with.
  The button below is live: it opens this hub's <code>/permissions</code> page in a popup.</p>
  <form id="generator" autocomplete="off">
    <label for="partner_id">Partner id</label>
    <input id="partner_id" name="partner_id" placeholder="ptn_…" required aria-describedby="partner_id-error">
    <p id="partner_id-error" class="error" role="alert"></p>
    <label for="email">Email (prefilled on the sign-up form)</label>
    <input id="email" name="email" type="email">
    <label for="name">Name (the business)</label>
    <input id="name" name="name">
    <label for="number">Number (digits with the country code)</label>
    <input id="number" name="number" inputmode="numeric">
    <label for="state">State (returned on your redirect)</label>
    <input id="state" name="state">
    <label for="redirect_url">Redirect URL (on your allowed_redirect_urls)</label>
    <input id="redirect_url" name="redirect_url" type="url">
    <label for="partner">Partner payload (returned as <code>partner</code>)</label>
    <input id="partner" name="partner">
    <label for="next">Open on</label>
    <select id="next" name="next">
      <option value="">the default form</option>
      <option value="signup">sign-up</option>
      <option value="login">log-in</option>
    </select>
  </form>
  <section aria-labelledby="preview-title">
    <h2 id="preview-title">Preview</h2>
    <partner-hub-connect id="preview">Connect WhatsApp</partner-hub-connect>
    <p>The /permissions URL: <a id="permissions-link" target="_blank" rel="noopener"><code id="permissions-url"></code></a></p>
  </section>
  <section aria-labelledby="element-title">
    <h2 id="element-title">Any page: the hub's script and element</h2>
    <pre tabindex="0"><code id="snippet-element"></code></pre>
  </section>
  <section aria-labelledby="module-title">
    <h2 id="module-title">@partner-hub/client (ES module, from a click handler)</h2>
    <pre tabindex="0"><code id="snippet-module"></code></pre>
  </section>
  <section aria-labelledby="dialog-title">
    <h2 id="dialog-title">360dialog's React button (<code>360dialog-connect-button</code>)</h2>
    <pre tabindex="0"><code id="snippet-360dialog"></code></pre>
  </section>
</main>
<script src="/client/connect.global.js"></script>
<script src="/docs/connect-button.js"></script>
</body>
</html>
`;

const CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:52rem;margin:0 auto;padding:1.5rem}
form{display:grid;grid-template-columns:minmax(10rem,16rem) 1fr;gap:.5rem 1rem;align-items:center}
label{font-weight:600}
input,select{font:inherit;padding:.4rem .5rem;border:1px solid #5c6670;border-radius:4px}
input[aria-invalid=true]{border-color:#b3261e}
.error{grid-column:2;color:#b3261e;margin:0;min-height:1.2em}
pre{background:#f3f5f7;border:1px solid #d0d7de;border-radius:6px;padding:.75rem;overflow-x:auto}
a{color:#1a5fb4}
`;

// Served as a file: the hub's CSP allows scripts from 'self' only.
const SCRIPT = `(() => {
  const PARTNER_ID = /^ptn_[0-9a-hjkmnp-tv-z]{26}$/;
  const PARAMS = ['email', 'name', 'number', 'state', 'redirect_url', 'partner', 'next'];
  const ATTRIBUTES = { redirect_url: 'redirect-url', partner: 'partner-payload' };
  const hub = window.location.origin;
  const byId = (id) => document.getElementById(id);
  const form = byId('generator');
  const preview = byId('preview');

  const prefill = new URLSearchParams(window.location.search).get('partner_id');
  if (prefill) byId('partner_id').value = prefill;

  const read = () => {
    const v = { partner_id: byId('partner_id').value.trim() };
    for (const p of PARAMS) v[p] = byId(p).value.trim();
    return v;
  };
  const filled = (v) => PARAMS.filter((p) => v[p] !== '');
  const permissionsUrl = (v) => {
    const url = new URL('/permissions/' + encodeURIComponent(v.partner_id || 'ptn_…'), hub);
    for (const p of filled(v)) url.searchParams.set(p, v[p]);
    return url.toString();
  };
  // Values go into snippets as JSON string literals, or as escaped HTML attribute values.
  const attr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const js = (s) => JSON.stringify(s);
  const partnerId = (v) => v.partner_id || 'ptn_…';

  const elementSnippet = (v) => {
    const attrs = [['hub-url', hub], ['partner-id', partnerId(v)]]
      .concat(filled(v).map((p) => [ATTRIBUTES[p] || p, v[p]]))
      .map(([k, value]) => '  ' + k + '="' + attr(value) + '"');
    return '<script src="' + attr(hub) + '/client/connect.global.js"></' + 'script>\\n' +
      '<partner-hub-connect\\n' + attrs.join('\\n') + '>Connect WhatsApp</partner-hub-connect>\\n' +
      '<' + 'script>\\n  document.querySelector(\\'partner-hub-connect\\')\\n' +
      '    .addEventListener(\\'permissions\\', (e) => console.log(e.detail)); // {client, channels, revoked, state}\\n' +
      '</' + 'script>';
  };
  const moduleSnippet = (v) => {
    const params = filled(v).map((p) => '      ' + p + ': ' + js(v[p]) + ',');
    return "import { openPermissions } from '@partner-hub/client/connect';\\n\\n" +
      "button.addEventListener('click', async () => {\\n" +
      '  const result = await openPermissions({\\n' +
      '    hubUrl: ' + js(hub) + ',\\n' +
      '    partnerId: ' + js(partnerId(v)) + ',\\n' +
      '    params: {' + (params.length ? '\\n' + params.join('\\n') + '\\n    ' : '') + '},\\n' +
      '  });\\n  // result: {client, channels, revoked, state}\\n});';
  };
  const dialogSnippet = (v) => {
    const query = filled(v).filter((p) => p !== 'number');
    const lines = [
      "import { ConnectButton } from '360dialog-connect-button';",
      '',
      '<ConnectButton',
      '  partnerId={' + js(partnerId(v)) + '}',
      '  env="local"',
    ];
    if (v.number) lines.push('  requestedNumber={' + js(v.number) + '}');
    if (query.length) {
      lines.push('  queryParameters={{');
      for (const p of query) lines.push('    ' + p + ': ' + js(v[p]) + ',');
      lines.push('  }}');
    }
    lines.push('  callback={(result) => console.log(result.client, result.channels, result.revokedChannels)}', '/>');
    if (hub !== 'http://localhost:8082') {
      lines.push('', '// env="local" opens http://localhost:8082/dashboard/app/{partnerId}: the package has no base-URL option.',
        '// This hub is at ' + hub + ': use the element above, or open ' + hub + '/dashboard/app/' + partnerId(v) + '?… in a popup.');
    }
    return lines.join('\\n');
  };

  const update = () => {
    const v = read();
    const bad = v.partner_id !== '' && !PARTNER_ID.test(v.partner_id);
    byId('partner_id').setAttribute('aria-invalid', String(bad || v.partner_id === ''));
    byId('partner_id-error').textContent = v.partner_id === ''
      ? 'Enter your partner id (ptn_ and 26 characters, from GET /api/v2/partners/{id}).'
      : bad ? 'A partner id is ptn_ followed by 26 lowercase letters and digits.' : '';
    preview.setAttribute('hub-url', hub);
    preview.setAttribute('partner-id', v.partner_id);
    for (const p of PARAMS) {
      const name = ATTRIBUTES[p] || p;
      if (v[p]) preview.setAttribute(name, v[p]);
      else preview.removeAttribute(name);
    }
    const url = permissionsUrl(v);
    byId('permissions-link').href = url;
    byId('permissions-url').textContent = url;
    byId('snippet-element').textContent = elementSnippet(v);
    byId('snippet-module').textContent = moduleSnippet(v);
    byId('snippet-360dialog').textContent = dialogSnippet(v);
  };
  form.addEventListener('input', update);
  form.addEventListener('submit', (e) => e.preventDefault());
  update();
})();
`;

export function connectButtonPageRoutes(): Router {
  const routes = Router({ caseSensitive: true });
  routes.get('/docs/connect-button', (_req, res) => {
    res.type('html').send(PAGE);
  });
  routes.get('/docs/connect-button.js', (_req, res) => {
    res.type('application/javascript').send(SCRIPT);
  });
  routes.get('/docs/connect-button.css', (_req, res) => {
    res.type('text/css').send(CSS);
  });
  return routes;
}
