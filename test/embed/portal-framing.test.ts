import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer, partnerWithChannel } from '../support/scenarios.ts';

const hub = useTestHub();

const frameAncestors = (res: request.Response) =>
  /frame-ancestors ([^;]+)/.exec(String(res.headers['content-security-policy']))?.[1];

async function allow(partnerId: string, token: string, body: object) {
  const res = await request(hub.app).patch(`/api/v2/partners/${partnerId}`).set(bearer(token)).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('/embed/portal/:partner_id may be framed by that partner’s registered origins only', () => {
  it('names the distinct origins of the partner’s redirect URLs, https or loopback http', async () => {
    const { partner, token } = await partnerWithChannel(hub, 'Framer Co');
    await allow(partner.id, token, {
      partner_redirect_url: 'https://app.framer.example/whatsapp/done',
      allowed_redirect_urls: [
        'https://app.framer.example/other?x=1',
        'https://eu.framer.example:8443/cb',
        'http://localhost:5173/dev',
      ],
    });
    const res = await request(hub.app).get(`/embed/portal/${partner.id}`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    expect(frameAncestors(res)).toBe(
      'http://localhost:5173 https://app.framer.example https://eu.framer.example:8443',
    );
    // Browsers would apply a same-origin X-Frame-Options on top; the CSP decides here.
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers each partner with its own origins', async () => {
    const one = await partnerWithChannel(hub, 'One Co');
    const two = await partnerWithChannel(hub, 'Two Co');
    await allow(one.partner.id, one.token, { partner_redirect_url: 'https://one.example/cb' });
    await allow(two.partner.id, two.token, { partner_redirect_url: 'https://two.example/cb' });
    expect(frameAncestors(await request(hub.app).get(`/embed/portal/${one.partner.id}`))).toBe(
      'https://one.example',
    );
    expect(frameAncestors(await request(hub.app).get(`/embed/portal/${two.partner.id}`))).toBe(
      'https://two.example',
    );
  });

  it("is 'none' for a partner with no usable URL, and for an unknown partner (404)", async () => {
    const { partner } = await partnerWithChannel(hub, 'Unregistered Co');
    const em = hub.em();
    const row = await em.findOneOrFail(Partner, partner.id);
    // Rows from before partner.update checked schemes: plain http is never a frame ancestor.
    row.partnerRedirectUrl = 'http://plain.example/cb';
    row.allowedRedirectUrls = ['ftp://files.example/x', 'https://user:pw@app.example/cb'];
    await em.flush();
    expect(frameAncestors(await request(hub.app).get(`/embed/portal/${partner.id}`))).toBe("'none'");
    for (const id of ['ptn_01JZZZZZZZZZZZZZZZZZZZZZZZ', 'not-an-id']) {
      const res = await request(hub.app).get(`/embed/portal/${id}`);
      expect(res.status).toBe(404);
      expect(frameAncestors(res)).toBe("'none'");
    }
  });

  it('serves <partner-hub-portal> to other origins’ pages', async () => {
    const res = await request(hub.app).get('/embed/portal.js');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/javascript');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.text).toContain("customElements.define('partner-hub-portal'");
  });
});

describe("every other page stays frame-ancestors 'none'", () => {
  it.each(['/console', '/console/api-keys', '/hub', '/docs', '/embed/signup', '/', '/docs/connect-button'])(
    '%s',
    async (path) => {
      const res = await request(hub.app).get(path);
      expect(res.status, path).toBeLessThan(400);
      expect(frameAncestors(res)).toBe("'none'");
    },
  );

  it('/permissions/:partner_id', async () => {
    const { partner } = await partnerWithChannel(hub, 'Permissions Page Co');
    const res = await request(hub.app).get(`/permissions/${partner.id}`);
    expect(res.status).toBe(200);
    expect(frameAncestors(res)).toBe("'none'");
  });

  it('the signup popup keeps its opener (the framed portal) across origins', async () => {
    const res = await request(hub.app).get('/embed/signup');
    expect(res.headers['cross-origin-opener-policy']).toBe('unsafe-none');
  });
});
