import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { setPartnerSuspended } from '../../server/modules/partners/partner-suspension.service.ts';
import { errorCode, mintLink, portalClient } from '../embed/portal-client.ts';
import { clientFactory, onboardingSessionFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { runCli } from '../support/processes.ts';

const operator = { type: 'operator' as const, id: 'test' };

/**
 * A suspended partner takes no new connections anywhere: besides its API and console (tested in
 * test/console/operator.test.ts), its permission page, onboarding links and client portal refuse
 * with 403 partner_suspended, and the operator can suspend from the CLI too.
 */
describe('a suspended partner on the hosted pages, the portal and the CLI', () => {
  const hub = useTestHub({}, { listen: true });
  let partner: Partner;
  let token: string;
  let onboardingPath: string;
  let portalSession: string;

  beforeAll(async () => {
    ({ partner, token } = await partnerFactory(hub.em(), hub.deps, 'Paused SaaS'));
    const onboarding = await onboardingSessionFactory(hub.em(), partner);
    onboardingPath = `/onboard/${onboarding.urlToken}`;
    const client = await clientFactory(hub.em(), partner);
    const link = await mintLink(hub, partner, token, client.id);
    const opened = await portalClient(hub).session.exchange.mutate({
      partner_id: partner.id,
      token: link.token,
    });
    portalSession = opened.session_token;
  });

  it('before: every surface answers', async () => {
    expect((await request(hub.app).get(`/permissions/${partner.id}`)).status).toBe(200);
    expect((await request(hub.app).get(onboardingPath)).status).toBe(200);
    await portalClient(hub, () => portalSession).numbers.list.query();
  });

  it('suspended: the permission page, the onboarding link and the portal say partner_suspended', async () => {
    await setPartnerSuspended(hub.em(), hub.clock, partner.id, true, operator);
    for (const path of [`/permissions/${partner.id}`, onboardingPath]) {
      const page = await request(hub.app).get(path);
      expect(page.status, path).toBe(403);
      expect(page.headers['x-error-code'], path).toBe('partner_suspended');
      expect(page.text).toContain('Paused SaaS cannot connect WhatsApp numbers right now');
    }
    expect(await errorCode(portalClient(hub, () => portalSession).numbers.list.query())).toBe(
      'partner_suspended',
    );
    await setPartnerSuspended(hub.em(), hub.clock, partner.id, false, operator);
    expect((await request(hub.app).get(`/permissions/${partner.id}`)).status).toBe(200);
  });

  it('the CLI suspends and reinstates, and refuses an unknown partner', async () => {
    const env = { DATABASE_URL: hub.databaseUrl, HUB_SECRET: hub.deps.config.hubSecret! };
    const suspended = await runCli(['partners', 'suspend', partner.id, '--json'], env);
    expect(suspended.code, suspended.stderr).toBe(0);
    expect(JSON.parse(suspended.stdout)).toMatchObject({ id: partner.id, suspended_at: expect.any(String) });
    expect(
      (await request(hub.app).get(`/api/v2/partners/${partner.id}`).set('authorization', `Bearer ${token}`))
        .status,
    ).toBe(403);
    const reinstated = await runCli(['partners', 'unsuspend', partner.id, '--json'], env);
    expect(JSON.parse(reinstated.stdout)).toEqual({ id: partner.id, suspended_at: null });
    // The token cache forgets within a second on every process.
    await expect
      .poll(
        async () =>
          (
            await request(hub.app)
              .get(`/api/v2/partners/${partner.id}`)
              .set('authorization', `Bearer ${token}`)
          ).status,
        { timeout: 5_000 },
      )
      .toBe(200);
    const unknown = await runCli(['partners', 'suspend', 'ptn_01aaaaaaaaaaaaaaaaaaaaaaaa'], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/No partner/);
  });
});
