import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../server/crypto/tokens.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { PortalSession } from '../../server/modules/portal/portal-session.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer, partnerWithChannel } from '../support/scenarios.ts';
import { errorCode, mintLink, portalClient } from './portal-client.ts';

const hub = useTestHub({}, { listen: true });

const linksPath = (partnerId: string, clientId: string) =>
  `/api/v2/partners/${partnerId}/clients/${clientId}/portal_links`;

describe('minting a portal link (clients.portalLink)', () => {
  it('answers a one-time URL on the partner’s portal path, the token in the fragment and kept only as a digest', async () => {
    const { partner, token, client } = await partnerWithChannel(hub, 'Mint Co');
    const before = hub.clock.now().getTime();
    const { body, url, token: link } = await mintLink(hub, partner, token, client.id);
    expect(`${url.origin}${url.pathname}`).toBe(`${hub.url}/embed/portal/${partner.id}`);
    expect(url.search).toBe('');
    expect(link).toMatch(/^hubl_[0-9A-Za-z]{36}$/);
    expect(body.client_id).toBe(client.id);
    expect(new Date(body.expires_at).getTime()).toBe(before + 300_000);
    const row = await hub.em().findOneOrFail(PortalSession, body.id);
    expect(row.linkTokenHash).toBe(hashToken(link));
    expect(row.showDeliveries).toBe(false);
    expect(row.sessionTokenHash).toBeNull();
    const audit = await hub
      .em()
      .findOneOrFail(AuditLog, { action: 'portal_link.created', targetId: body.id });
    expect(audit.details).toMatchObject({ client_id: client.id, expires_in_seconds: 300 });
    expect(JSON.stringify(audit.details)).not.toContain(link);
  });

  it('is served over tRPC too, with the same validation', async () => {
    const { token, client } = await partnerWithChannel(hub, 'Trpc Mint Co');
    const minted = await hub.trpc(token).clients.portalLink({ client_id: client.id, expires_in_seconds: 60 });
    expect(minted.url).toContain('#token=hubl_');
    await expect(
      hub.trpc(token).clients.portalLink({ client_id: client.id, expires_in_seconds: 30 }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it.each([
    ['expires_in_seconds below 60', { expires_in_seconds: 59 }],
    ['expires_in_seconds above 3600', { expires_in_seconds: 3601 }],
    ['a fractional expiry', { expires_in_seconds: 90.5 }],
    ['an expiry as text', { expires_in_seconds: '300' }],
    ['show_deliveries as text', { show_deliveries: 'yes' }],
    ['an unknown field', { client_id: 'cli_other' }],
  ])('refuses %s with 400 validation_failed', async (_what, body) => {
    const { partner, token, client } = await partnerWithChannel(hub, 'Bad Input Co');
    const res = await request(hub.app).post(linksPath(partner.id, client.id)).set(bearer(token)).send(body);
    expect([res.status, res.body.error?.code]).toEqual([400, 'validation_failed']);
    expect(await hub.em().count(PortalSession, { client: client.id })).toBe(0);
  });

  it('is 401 without a partner token, and 404 for another partner’s client', async () => {
    const { partner, client } = await partnerWithChannel(hub, 'Owner Co');
    const other = await partnerFactory(hub.em(), hub.deps, 'Other Co');
    const anonymous = await request(hub.app).post(linksPath(partner.id, client.id)).send({});
    expect([anonymous.status, anonymous.body.error?.code]).toEqual([401, 'unauthorized']);
    const foreign = await request(hub.app)
      .post(linksPath(other.partner.id, client.id))
      .set(bearer(other.token))
      .send({});
    expect([foreign.status, foreign.body.error?.code]).toEqual([404, 'not_found']);
    await expect(hub.trpc(other.token).clients.portalLink({ client_id: client.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await hub.em().count(PortalSession, { client: client.id })).toBe(0);
  });
});

describe('exchanging a portal link', () => {
  it('works once: a second exchange of the same link is refused', async () => {
    const { partner, token, client } = await partnerWithChannel(hub, 'Once Co');
    const { token: link } = await mintLink(hub, partner, token, client.id);
    const portal = portalClient(hub);
    const opened = await portal.session.exchange.mutate({ partner_id: partner.id, token: link });
    expect(opened.session_token).toMatch(/^hube_/);
    expect(opened.client).toEqual({ id: client.id, name: client.name });
    expect(opened.partner).toMatchObject({ id: partner.id, brand_name: 'Once Co' });
    expect(new Date(opened.expires_at!).getTime()).toBe(hub.clock.now().getTime() + 3600_000);
    expect(await errorCode(portal.session.exchange.mutate({ partner_id: partner.id, token: link }))).toBe(
      'unauthorized',
    );
    // The first session is unaffected by the refused second try.
    const session = portalClient(hub, () => opened.session_token);
    expect((await session.session.get.query()).client.id).toBe(client.id);
  });

  it('refuses a link past its expiry', async () => {
    const { partner, token, client } = await partnerWithChannel(hub, 'Late Co');
    const { token: link } = await mintLink(hub, partner, token, client.id, { expires_in_seconds: 60 });
    hub.clock.advance(61_000);
    expect(
      await errorCode(portalClient(hub).session.exchange.mutate({ partner_id: partner.id, token: link })),
    ).toBe('unauthorized');
  });

  it('refuses a link on another partner’s portal page, without using it up', async () => {
    const { partner, token, client } = await partnerWithChannel(hub, 'Minting Co');
    const other = await partnerFactory(hub.em(), hub.deps, 'Framing Co');
    const { token: link } = await mintLink(hub, partner, token, client.id);
    const portal = portalClient(hub);
    expect(
      await errorCode(portal.session.exchange.mutate({ partner_id: other.partner.id, token: link })),
    ).toBe('unauthorized');
    const opened = await portal.session.exchange.mutate({ partner_id: partner.id, token: link });
    expect(opened.client.id).toBe(client.id);
  });

  it('answers 401 to a malformed or unknown token and 400 to a malformed partner id', async () => {
    const { partner } = await partnerWithChannel(hub, 'Shape Co');
    const portal = portalClient(hub);
    for (const token of ['', 'hubl_short', 'hubp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'])
      expect(await errorCode(portal.session.exchange.mutate({ partner_id: partner.id, token }))).toBe(
        'unauthorized',
      );
    expect(
      await errorCode(portal.session.exchange.mutate({ partner_id: 'not-a-partner', token: 'hubl_x' })),
    ).toBe('validation_failed');
  });

  it('gives a session that ends an hour after the exchange', async () => {
    const { partner, token, client } = await partnerWithChannel(hub, 'Hour Co');
    const { token: link } = await mintLink(hub, partner, token, client.id);
    const opened = await portalClient(hub).session.exchange.mutate({ partner_id: partner.id, token: link });
    const session = portalClient(hub, () => opened.session_token);
    hub.clock.advance(3599_000);
    expect(await session.numbers.list.query()).toHaveLength(1);
    hub.clock.advance(2_000);
    expect(await errorCode(session.numbers.list.query())).toBe('unauthorized');
  });

  it('is refused to a link token used as a session, and without any credential', async () => {
    const { partner, token, client } = await partnerWithChannel(hub, 'Credential Co');
    const { token: link } = await mintLink(hub, partner, token, client.id);
    expect(await errorCode(portalClient(hub, () => link).numbers.list.query())).toBe('unauthorized');
    expect(await errorCode(portalClient(hub).numbers.list.query())).toBe('unauthorized');
    expect(await errorCode(portalClient(hub, () => token).numbers.list.query())).toBe('unauthorized');
  });

  it('serves no partner procedure on /embed/trpc, even to a partner token', async () => {
    const { token } = await partnerWithChannel(hub, 'Wrong Door Co');
    const res = await request(hub.app).get('/embed/trpc/clients.list').set(bearer(token));
    expect([res.status, res.body.error?.data?.error_code]).toEqual([404, 'not_found']);
  });
});
