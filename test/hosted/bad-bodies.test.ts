import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub();

/** Bodies the form parsers refuse are the visitor's mistake on hosted pages too, never a 500. */
describe('hosted pages refuse unreadable bodies', () => {
  let partner: Partner;
  beforeAll(async () => {
    partner = (await partnerFactory(hub.em(), hub.deps)).partner;
  });

  it.each([
    ['application/json; charset=latin1', '{"email":"a@b.example"}', 415, 'unsupported_media_type'],
    ['application/json; charset=utf-16', '{"email":"a@b.example"}', 400, 'invalid_json'],
    ['application/json', 'email=a%40b.example&password=x', 400, 'invalid_json'],
  ])('%s with %s → %i %s', async (type, body, status, code) => {
    for (const path of [`/permissions/${partner.id}/login`, '/hub/login']) {
      const res = await request(hub.app).post(path).set('content-type', type).send(body);
      expect(res.status, path).toBe(status);
      expect(res.headers['x-error-code'], path).toBe(code);
    }
  });
});
