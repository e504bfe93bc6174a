import { type Request, type Response, Router } from 'express';
import { html, type SafeHtml } from '../../http/html.ts';
import type { StripeSandbox } from './context.ts';
import { StripeApiError, stripeErrors } from './errors.ts';
import type { Invoice } from './invoice-objects.ts';
import type { SetupIntent } from './objects.ts';
import { resolveAuthentication } from './setup-intents.ts';
import { loadObject, publicView } from './store.ts';

const page = (title: string, body: SafeHtml) =>
  html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1f36}
.badge{display:inline-block;background:#fff3cd;border-radius:4px;padding:2px 6px;font-size:.8rem}
button{font:inherit;padding:.6rem 1rem;margin:.3rem .3rem 0 0;border-radius:6px;border:1px solid #635bff;cursor:pointer}
button[value=complete]{background:#635bff;color:#fff}table{width:100%;border-collapse:collapse}td{padding:.3rem 0}
td:last-child{text-align:right}</style></head><body><span class="badge">Stripe sandbox: test mode</span>${body}</body></html>`
    .value;

const THREE_DS_CSP =
  "default-src 'self'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'self'; base-uri 'none'; object-src 'none'";

const money = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency.toUpperCase()}`;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Only http(s) return URLs are followed, so the page cannot be made to run a `javascript:` URL. */
function returnTarget(value: unknown): URL | undefined {
  const raw = str(value);
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The simulated issuer's 3-D Secure page, and the hosted invoice page. Plain HTML: the CSP allows no inline script. */
export function pageRoutes(sb: StripeSandbox): Router {
  const pages = Router({ caseSensitive: true });

  pages.get('/3ds/:id', async (req: Request<{ id: string }>, res: Response) => {
    const secret = str(req.query.client_secret) ?? '';
    const intent = await loadObject<SetupIntent>(sb.state.query, 'setup_intent', req.params.id);
    if (intent.client_secret !== secret) throw stripeErrors.clientSecretMismatch();
    const returnUrl = returnTarget(req.query.return_url)?.href ?? '';
    // The form's answer redirects to the merchant's return_url, which the hub's `form-action 'self'` would block.
    res
      .set({ 'Cache-Control': 'no-store', 'Content-Security-Policy': THREE_DS_CSP })
      .type('html')
      .send(
        page(
          '3D Secure authentication',
          html`<h1>Authenticate this card</h1>
<p>The card's bank asks the cardholder to confirm that they are saving this card (a simulated 3-D Secure step).</p>
<form method="post" action="${intent.id}">
<input type="hidden" name="client_secret" value="${secret}"><input type="hidden" name="return_url" value="${returnUrl}">
<button type="submit" name="outcome" value="complete">Complete authentication</button>
<button type="submit" name="outcome" value="fail">Fail authentication</button></form>`,
        ),
      );
  });

  pages.post('/3ds/:id', async (req: Request<{ id: string }>, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const outcome = str(body.outcome);
    if (outcome !== 'complete' && outcome !== 'fail')
      throw stripeErrors.invalidParam('outcome', 'outcome must be complete or fail');
    const intent = await resolveAuthentication(
      sb,
      req.params.id,
      str(body.client_secret) ?? '',
      outcome === 'complete',
    );
    const target = returnTarget(body.return_url);
    // The Stripe.js stand-in's modal asks from the embedding page's origin; the client secret is the credential.
    if (req.accepts(['html', 'json']) === 'json') {
      return void res.set('Access-Control-Allow-Origin', '*').json(publicView(intent));
    }
    if (target) {
      target.searchParams.set('setup_intent', intent.id);
      target.searchParams.set('setup_intent_client_secret', intent.client_secret);
      target.searchParams.set('redirect_status', intent.status === 'succeeded' ? 'succeeded' : 'failed');
      return void res.redirect(303, target.href);
    }
    res
      .type('html')
      .send(
        page(
          'Authentication finished',
          html`<h1>Authentication ${outcome === 'complete' ? 'completed' : 'failed'}</h1><p>You can close this page.</p>`,
        ),
      );
  });

  pages.get('/invoices/:id', async (req: Request<{ id: string }>, res: Response) => {
    const invoice = await loadObject<Invoice>(sb.state.query, 'invoice', req.params.id);
    if (invoice.status === 'draft') throw stripeErrors.noSuch('invoice', invoice.id);
    const lines = invoice.lines.data.map(
      (line) =>
        html`<tr><td>${line.description ?? ''}</td><td>${money(line.amount, line.currency)}</td></tr>`,
    );
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        page(
          `Invoice ${String(invoice.number)}`,
          html`<h1>Invoice ${String(invoice.number)}</h1><p>${String(invoice.description ?? '')}</p>
<table>${lines}<tr><td><strong>Amount due</strong></td><td><strong>${money(invoice.amount_remaining, invoice.currency)}</strong></td></tr></table>
<p>Status: <strong>${invoice.status}</strong></p>`,
        ),
      );
  });

  pages.use((err: unknown, _req: Request, res: Response, next: (err: unknown) => void) => {
    if (!(err instanceof StripeApiError) || res.headersSent) return next(err);
    if (_req.accepts(['html', 'json']) === 'json')
      return void res.status(err.status).json({ error: err.body });
    res
      .status(err.status)
      .type('html')
      .send(page('Stripe sandbox', html`<h1>Something is wrong</h1><p>${err.message}</p>`));
  });
  return pages;
}
