import { beforeAll, describe, expect, it } from 'vitest';
import {
  createPartnerHubClient,
  errorCodeOf,
  PartnerHubError,
  parsePermissionsRedirect,
  verifyWebhook,
  WebhookVerificationError,
} from '../../client/src/index.ts';
import { permissionsRedirectUrl } from '../../server/modules/permissions/permissions-redirect.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

describe('client/: the SDK against a running hub', () => {
  const hub = useTestHub({}, { listen: true });
  let token: string;
  let partnerId: string;
  let webhookSecret: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const created = await partnerFactory(hub.em(), hub.deps, 'SDK SaaS', {
      webhookUrl: `${receiver.url}/hooks`,
    });
    token = created.token;
    partnerId = created.partner.id;
    webhookSecret = created.webhookSecret;
    return () => receiver.close();
  });

  it('makes typed tRPC and REST calls, finding its partner id by itself', async () => {
    const hubClient = createPartnerHubClient({ baseUrl: `${hub.url}/`, token });
    const me = await hubClient.trpc.partner.me.query();
    expect(me.id).toBe(partnerId);
    const partner = await hubClient.rest.partner.get();
    expect(partner).toMatchObject({ id: partnerId, name: 'SDK SaaS' });
    const updated = await hubClient.rest.partner.update({ brand_name: 'SDK Messaging' });
    expect(updated.brand_name).toBe('SDK Messaging');
    const page = await hubClient.rest.clients.list({ limit: 5 });
    expect(page).toEqual({ clients: [], next_cursor: null });
    const first = await hubClient.rest.onboardingSessions.create({ tenant_id: 'sdk-tenant' }, 'sdk-key-1');
    const again = await hubClient.rest.onboardingSessions.create({ tenant_id: 'sdk-tenant' }, 'sdk-key-1');
    expect(again.id).toBe(first.id);
    const viaTrpc = await hubClient.trpc.onboarding.get.query({ session_id: first.id });
    expect(viaTrpc.onboarding_url).toBe(first.onboarding_url);
  });

  it('surfaces the hub’s stable error codes over REST and tRPC', async () => {
    const bad = createPartnerHubClient({
      baseUrl: hub.url,
      token: 'hubp_nottherighttokennottherighttoken0000',
      partnerId,
    });
    const rest = await bad.rest.partner.get().catch((e: unknown) => e);
    expect(rest).toBeInstanceOf(PartnerHubError);
    expect(rest).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(errorCodeOf(await bad.trpc.partner.me.query().catch((e: unknown) => e))).toBe('unauthorized');
    const good = createPartnerHubClient({ baseUrl: hub.url, token, partnerId });
    const missing = await good.rest.channels.get('chn_01aaaaaaaaaaaaaaaaaaaaaaaa').catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'not_found', status: 404 });
    const invalid = await good.rest.onboardingSessions
      .create({ tenant_id: 't', success_redirect_url: 'https://x.example' })
      .catch((e: unknown) => e);
    expect(errorCodeOf(invalid)).toBe('invalid_redirect_url');
  });

  it('verifies real deliveries and refuses tampered or stale ones', async () => {
    const hubClient = createPartnerHubClient({ baseUrl: hub.url, token, partnerId });
    await hubClient.rest.partner.update({ name: 'SDK SaaS 2' });
    await hub.drainJobs();
    // Two partner.updated deliveries by now (brand_name earlier, name here): take this one.
    const delivery = (await receiver.waitForRequests(2)).find((r) =>
      r.rawBody.includes('"changed_fields":["name"]'),
    );
    const event = verifyWebhook(webhookSecret, delivery!.rawBody, delivery!.headers);
    expect(event.type).toBe('partner.updated');
    if (event.type === 'partner.updated') expect(event.data.changed_fields).toContain('name');

    const tampered = delivery!.rawBody.replace('SDK', 'XDK');
    expect(() => verifyWebhook(webhookSecret, tampered.replace('name', 'nane'), delivery!.headers)).toThrow(
      WebhookVerificationError,
    );
    expect(() =>
      verifyWebhook(`whsec_${Buffer.alloc(24).toString('base64')}`, delivery!.rawBody, delivery!.headers),
    ).toThrow(/verification failed/);
    const stale = { ...delivery!.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 3600) };
    expect(() => verifyWebhook(webhookSecret, delivery!.rawBody, stale)).toThrow(WebhookVerificationError);
    const { 'webhook-signature': _, ...unsigned } = delivery!.headers;
    expect(() => verifyWebhook(webhookSecret, delivery!.rawBody, unsigned)).toThrow(
      'Missing header(s): webhook-signature',
    );
    // A fetch-style Headers object works too.
    const asHeaders = new Headers(Object.entries(delivery!.headers).map(([k, v]) => [k, String(v)]));
    expect(verifyWebhook(webhookSecret, Buffer.from(delivery!.rawBody), asHeaders).type).toBe(
      'partner.updated',
    );
  });

  it('parses the hub’s permissions redirects', () => {
    const ids = { clientId: 'cli_01aaaaaaaaaaaaaaaaaaaaaaaa', channels: ['chn_01b', 'chn_01c'] };
    expect(
      parsePermissionsRedirect(
        permissionsRedirectUrl('https://p.example/cb?x=1', { ...ids, revoked: ['chn_01d'], state: 'a b&c' }),
      ),
    ).toEqual({
      client: ids.clientId,
      channels: ['chn_01b', 'chn_01c'],
      revoked: ['chn_01d'],
      state: 'a b&c',
    });
    expect(
      parsePermissionsRedirect(
        new URL(
          permissionsRedirectUrl('https://p.example/cb', { clientId: 'cli_1', channels: [], revoked: [] }),
        ).search,
      ),
    ).toEqual({
      client: 'cli_1',
      channels: [],
      revoked: [],
      state: null,
    });
    expect(() => parsePermissionsRedirect('https://p.example/cb?channels=[a]')).toThrow(/client/);
  });
});
