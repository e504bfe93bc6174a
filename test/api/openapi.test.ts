import { Validator } from '@seriousme/openapi-schema-validator';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { partnerApiOperations } from '../../server/api/operations/index.ts';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub();

describe('OpenAPI document and docs UI', () => {
  it('serves a valid OpenAPI 3.1 document describing every mounted operation', async () => {
    const res = await request(hub.app).get('/api/v2/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');

    const documented = Object.entries(
      doc.paths as Record<string, Record<string, { operationId: string }>>,
    ).flatMap(([, methods]) => Object.values(methods).map((m) => m.operationId));
    expect(documented.sort()).toEqual(partnerApiOperations.map((op) => op.operationId).sort());
    expect(
      doc.paths['/partners/{partner_id}/channels/{channel_id}/api_keys'].post.responses['409'].description,
    ).toContain('channel_not_ready');
    expect(doc.components.schemas.Partner.properties).toHaveProperty('allowed_redirect_urls');
    expect(doc.components.securitySchemes).toHaveProperty('bearerAuth');
  });

  it('advertises Idempotency-Key exactly where it is honoured: every POST but reveal_secrets', async () => {
    const doc = (await request(hub.app).get('/api/v2/openapi.json')).body;
    type Op = { operationId: string; parameters?: { in: string; name: string }[] };
    const advertising = Object.values(doc.paths as Record<string, Record<string, Op>>)
      .flatMap((methods) => Object.values(methods))
      .filter((op) => op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'))
      .map((op) => op.operationId);
    const posts = partnerApiOperations.filter((op) => op.method === 'post').map((op) => op.operationId);
    expect(posts).toContain('revealChannelSecrets');
    expect(advertising.sort()).toEqual(posts.filter((id) => id !== 'revealChannelSecrets').sort());
  });

  it('serves the docs UI and its assets from this server, with no CDN', async () => {
    const page = await request(hub.app).get('/docs');
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toContain('/docs/assets/swagger-ui-bundle.js');
    for (const asset of assets) {
      const res = await request(hub.app).get(asset);
      expect(res.status, asset).toBe(200);
    }
    const init = await request(hub.app).get('/docs/init.js');
    expect(init.text).toContain("url: '/api/v2/openapi.json'");
  });
});
