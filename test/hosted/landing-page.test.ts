import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub();

/** Every link on the page, as `href` values. */
const linksOf = (page: string) => [...page.matchAll(/href="([^"]+)"/g)].map(([, href]) => href!);

describe('the landing page at /', () => {
  it('answers HTML linking the demo, the API reference and health, and every link works', async () => {
    const res = await request(hub.app).get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const links = linksOf(res.text).filter((href) => !href.startsWith('/hosted/assets/'));
    expect(links).toEqual([
      '/demo',
      '/docs',
      '/api/v2/openapi.json',
      '/api/v2/postman.json',
      '/docs/connect-button',
      '/livez',
      '/readyz',
    ]);
    for (const href of links) {
      const target = await request(hub.app).get(href).redirects(1);
      expect(target.status, href).toBe(200);
    }
  });

  it('leaves the demo out where the sandbox does not run', async () => {
    const app = createApp({
      ...hub.deps,
      config: { ...hub.deps.config, meta: { ...hub.deps.config.meta, mode: 'production' } },
    });
    const res = await request(app).get('/').expect(200);
    expect(linksOf(res.text)).not.toContain('/demo');
    expect(linksOf(res.text)).toContain('/docs');
  });
});
