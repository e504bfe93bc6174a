import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors.ts';
import { assertWebhookTarget, type HostLookup } from '../../server/security/webhook-host.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const production = { allowLocalhost: false };
const resolvesTo =
  (...addresses: string[]): HostLookup =>
  async () =>
    addresses.map((address) => ({ address }));

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return 'accepted';
  } catch (err) {
    return err instanceof AppError ? [err.code, (err.details as { category?: string }).category] : err;
  }
}

/** L6: a hostname is judged by what it resolves to when the URL is saved, not only at delivery. */
describe('webhook hosts resolved when the URL is set', () => {
  it('refuses a name that resolves to a private, metadata or mapped address, by category only', async () => {
    for (const address of ['10.0.0.5', '169.254.169.254', '::ffff:192.168.1.1', 'fd00::1']) {
      expect(
        await refusal(
          assertWebhookTarget(
            'https://hooks.example/x',
            'url',
            production,
            resolvesTo('93.184.216.34', address),
          ),
        ),
        address,
      ).toEqual(['webhook_url_not_allowed', 'private_address']);
    }
  });

  it('accepts public names, and names that do not resolve yet (delivery judges them again)', async () => {
    expect(
      await refusal(
        assertWebhookTarget('https://hooks.example/x', 'url', production, resolvesTo('93.184.216.34')),
      ),
    ).toBe('accepted');
    const missing: HostLookup = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(await refusal(assertWebhookTarget('https://nowhere.example/x', 'url', production, missing))).toBe(
      'accepted',
    );
  });

  it('refuses localhost names in production without asking DNS', async () => {
    const never: HostLookup = () => new Promise(() => {});
    for (const url of ['https://localhost/x', 'https://api.localhost/x'])
      expect(await refusal(assertWebhookTarget(url, 'url', production, never)), url).toEqual([
        'webhook_url_not_allowed',
        'private_address',
      ]);
  });

  describe('over the API', () => {
    const hub = useTestHub({ ALLOW_LOCALHOST_URLS: 'false' });
    it('answers 422 webhook_url_not_allowed for a partner webhook_url on a loopback name', async () => {
      const { partner, token } = await partnerFactory(hub.em(), hub.deps);
      const res = await request(hub.app)
        .patch(`/api/v2/partners/${partner.id}`)
        .set(bearer(token))
        .send({ webhook_url: 'https://localhost/hooks' });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({
        code: 'webhook_url_not_allowed',
        details: { field: 'webhook_url', category: 'private_address' },
      });
      expect(JSON.stringify(res.body)).not.toContain('127.0.0.1');
    });
  });
});
