import { html, type SafeHtml } from '../../http/html.ts';

export interface Brand {
  name: string;
  logoUrl: string | null;
}

/** The partner as its hosted pages show it: its brand name (else its name) and logo. */
export function brandOf(partner: {
  name: string;
  brandName?: string | null;
  logoUrl?: string | null;
}): Brand {
  return { name: partner.brandName ?? partner.name, logoUrl: partner.logoUrl ?? null };
}

/**
 * Every hosted page: co-branded with the partner (its name and logo next to ours), sized for a
 * 600×900 popup, styles and scripts from the hub itself (no CDN).
 */
export function layout(page: {
  title: string;
  brand: Brand | null;
  body: SafeHtml;
  scripts?: string[];
}): string {
  const { brand } = page;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}${brand ? ` · ${brand.name}` : ''}</title>
<link rel="stylesheet" href="/hosted/assets/hosted.css">
</head>
<body>
<header class="brand">
  ${brand?.logoUrl ? html`<img src="${brand.logoUrl}" alt="" class="logo" width="32" height="32">` : ''}
  <span class="brand-name">${brand?.name ?? 'Partner Hub'}</span>
  ${brand ? html`<span class="powered">with Partner Hub</span>` : ''}
</header>
<main id="main">
${page.body}
</main>
${(page.scripts ?? []).map((src) => html`<script src="${src}"></script>`)}
</body>
</html>`.value;
}

export function messagePage(page: {
  title: string;
  message: string;
  brand: Brand | null;
  role?: 'alert' | 'status';
}) {
  return layout({
    title: page.title,
    brand: page.brand,
    body: html`<section class="card"><h1>${page.title}</h1><p role="${page.role ?? 'status'}">${page.message}</p></section>`,
  });
}
