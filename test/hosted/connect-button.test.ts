import { Dialog360Connect } from '360dialog-connect-button';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { permissionsRedirectUrl } from '../../server/modules/permissions/permissions-redirect.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

/** 360dialog's own connect button (npm `360dialog-connect-button`), unmodified, against the hub. */
describe('360dialog-connect-button compatibility', () => {
  const hub = useTestHub();

  it('opens a URL the hub serves (its `local` env is this hub’s default port)', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps);
    const button = new Dialog360Connect({
      partnerId: partner.id,
      env: 'local',
      requestedNumber: '15550001111',
      queryParameters: { state: 'abc', email: 'ana@bakery.example' },
    });
    const url = new URL(button.getPermissionUrl());
    expect(url.origin).toBe('http://localhost:8082');
    const res = await request(hub.app).get(url.pathname + url.search);
    expect(res.status).toBe(200);
    expect(res.text).toContain('value="ana@bakery.example"');
  });

  it('parses the hub’s redirect into client, channels and revoked channels', () => {
    const redirect = new URL(
      permissionsRedirectUrl('https://partner.example/callback', {
        clientId: 'cli_01aaaaaaaaaaaaaaaaaaaaaaaa',
        channels: ['chn_01bbbbbbbbbbbbbbbbbbbbbbbb', 'chn_01cccccccccccccccccccccccc'],
        revoked: ['chn_01dddddddddddddddddddddddd'],
        state: 'abc',
      }),
    );
    const button = new Dialog360Connect({ partnerId: 'ptn_x', env: 'local' });
    expect(button.processCallback(redirect.search)).toEqual({
      client: 'cli_01aaaaaaaaaaaaaaaaaaaaaaaa',
      channels: ['chn_01bbbbbbbbbbbbbbbbbbbbbbbb', 'chn_01cccccccccccccccccccccccc'],
      revokedChannels: ['chn_01dddddddddddddddddddddddd'],
    });
  });
});
