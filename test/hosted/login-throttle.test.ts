import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { normaliseEmail } from '../../server/modules/clients/email.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { type TestHub, useTestHub } from '../support/hub.ts';

const PASSWORD = 'correct horse battery staple';
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** A browser at `ip` (the hub trusts X-Forwarded-For here) holding a login form's CSRF token. */
async function browserAt(hub: TestHub, partner: Partner, ip: string) {
  const agent = request.agent(hub.app);
  const page = await agent.get(`/permissions/${partner.id}?next=login`).set('X-Forwarded-For', ip);
  const token = csrfOf(page.text);
  return {
    agent,
    login: (email: string, password: string) =>
      agent
        .post(`/permissions/${partner.id}/login`)
        .set('X-Forwarded-For', ip)
        .type('form')
        .send({ _csrf: token, email, password }),
    hubLogin: (email: string, password: string) =>
      agent
        .post('/hub/login')
        .set('X-Forwarded-For', ip)
        .type('form')
        .send({ _csrf: token, email, password }),
    signup: (email: string) =>
      agent
        .post(`/permissions/${partner.id}/signup`)
        .set('X-Forwarded-For', ip)
        .type('form')
        .send({ _csrf: token, email, password: PASSWORD, business_name: 'Sunrise Bakery' }),
  };
}

describe('normaliseEmail', () => {
  it('folds every spelling login would accept into one identity, and is idempotent', () => {
    const spellings = [
      'victim@x.com',
      ' victim@x.com',
      'victim@x.com\t',
      '\u00a0victim@x.com',
      '\u3000Victim@X.com\u2029',
      'VICTIM@X.COM',
      'ｖｉｃｔｉｍ@ｘ.ｃｏｍ',
    ];
    for (const s of spellings) {
      expect(normaliseEmail(s), JSON.stringify(s)).toBe('victim@x.com');
      expect(normaliseEmail(normaliseEmail(s))).toBe(normaliseEmail(s));
    }
  });
});

describe('login throttling on the hosted pages', () => {
  const hub = useTestHub({ TRUST_PROXY: 'true', RATE_LIMIT_LOGIN_PER_IP_PER_HOUR: '15' });
  let partner: Partner;

  beforeAll(async () => {
    partner = (await partnerFactory(hub.em(), hub.deps, 'Acme SaaS')).partner;
  });

  it('throttles the account however its email is padded or cased, and the right password waits too', async () => {
    const email = 'victim@bakery.example';
    expect((await (await browserAt(hub, partner, '10.0.1.1')).signup(email)).status).toBe(303);
    const attacker = await browserAt(hub, partner, '10.0.1.2');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await attacker.login(email, `guess-${i}-guess-guess`)).status);
    expect(statuses).toEqual(Array(10).fill(401));
    for (const spelling of [email, ` ${email}`, `${email}\t`, `\u00a0${email}`, email.toUpperCase()]) {
      const res = await attacker.login(spelling, `another-guess-guess`);
      expect([res.status, res.headers['x-error-code']], JSON.stringify(spelling)).toEqual([
        429,
        'rate_limited',
      ]);
      expect(res.headers['retry-after']).toBeDefined();
    }
    const right = await attacker.login(`\u00a0${email} `, PASSWORD);
    expect(right.status).toBe(429);
    expect((await attacker.agent.get(`/permissions/${partner.id}`)).text).not.toContain('Choose the numbers');
    // /hub shares the budgets.
    expect((await attacker.hubLogin(`${email}\t`, PASSWORD)).status).toBe(429);
    // The owner, elsewhere, still gets in.
    expect((await (await browserAt(hub, partner, '10.0.1.3')).login(email, PASSWORD)).status).toBe(303);
  });

  it('budgets one address across many emails, known or not', async () => {
    const spray = await browserAt(hub, partner, '10.0.2.1');
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++)
      statuses.push((await spray.login(`nobody-${i}@bakery.example`, PASSWORD)).status);
    expect(statuses).toEqual([...Array(15).fill(401), 429]);
    expect((await spray.hubLogin('someone-else@bakery.example', PASSWORD)).status).toBe(429);
    const elsewhere = await browserAt(hub, partner, '10.0.2.2');
    expect((await elsewhere.login('nobody-0@bakery.example', PASSWORD)).status).toBe(401);
  });

  it('budgets one account across many addresses', async () => {
    const email = 'spread@bakery.example';
    expect((await (await browserAt(hub, partner, '10.0.3.100')).signup(email)).status).toBe(303);
    // 50 an hour from anywhere: five addresses at ten each spend it.
    for (let a = 1; a <= 5; a++) {
      const from = await browserAt(hub, partner, `10.0.3.${a}`);
      for (let i = 0; i < 10; i++)
        expect((await from.login(email, `guess-${a}-${i}-guess`)).status).toBe(401);
    }
    const sixth = await browserAt(hub, partner, '10.0.3.6');
    expect((await sixth.login(email, PASSWORD)).status).toBe(429);
  });

  it('refuses over-long and malformed emails with 400, not 500, and spends no budget on them', async () => {
    const from = await browserAt(hub, partner, '10.0.4.1');
    for (const email of [
      `${'a'.repeat(240)}@bakery.example`,
      `${'a'.repeat(5000)}@x.com`,
      'a\u0000b@x.com',
      '',
    ]) {
      const res = await from.login(email, PASSWORD);
      expect(res.status, email.slice(0, 20)).toBe(400);
      expect(res.text).toContain('Log in');
      const hubRes = await from.hubLogin(email, PASSWORD);
      expect(hubRes.status).toBe(400);
    }
    const signup = await from.signup(`${'a'.repeat(240)}@bakery.example`);
    expect(signup.status).toBe(400);
    expect(signup.text).toContain('too long');
  });

  it('counts any subject, however long or odd, without failing', async () => {
    for (const subject of ['x'.repeat(300), 'a\u0000b', '\ud800', 'ü'.repeat(200)]) {
      const state = await hub.deps.rateLimits.consume(subject, 'login');
      expect(state.allowed).toBe(true);
    }
  });
});

describe('the global login budget', () => {
  const hub = useTestHub({ TRUST_PROXY: 'true', RATE_LIMIT_LOGIN_GLOBAL_PER_HOUR: '5' });

  it('refuses everyone once the whole hub has spent it', async () => {
    const partner = (await partnerFactory(hub.em(), hub.deps, 'Acme SaaS')).partner;
    for (let i = 1; i <= 5; i++) {
      const res = await (await browserAt(hub, partner, `10.0.5.${i}`)).login(
        `n${i}@bakery.example`,
        PASSWORD,
      );
      expect(res.status).toBe(401);
    }
    const res = await (await browserAt(hub, partner, '10.0.5.9')).login('n9@bakery.example', PASSWORD);
    expect([res.status, res.headers['x-error-code']]).toEqual([429, 'rate_limited']);
  });
});
