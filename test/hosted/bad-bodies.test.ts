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

  it('a form shown again with its error names the code too', async () => {
    const page = await request(hub.app).get(`/permissions/${partner.id}?next=login`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const cookies = page.headers['set-cookie'] as unknown as string[];
    const login = (email: string) =>
      request(hub.app)
        .post(`/permissions/${partner.id}/login`)
        .set('cookie', cookies.map((c) => c.split(';')[0]).join('; '))
        .type('form')
        .send({ _csrf: csrf, email, password: 'not the password at all' });
    const unknown = await login('nobody@bakery.example');
    expect([unknown.status, unknown.headers['x-error-code']]).toEqual([401, 'unauthorized']);
    const invalid = await login('not an email');
    expect([invalid.status, invalid.headers['x-error-code']]).toEqual([400, 'validation_failed']);
  });
});
