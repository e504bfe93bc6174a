import argon2 from 'argon2';
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../server/errors.ts';
import { passwordWork } from '../../server/modules/clients/passwords.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { createWorkLimiter } from '../../server/security/work-limiter.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const PASSWORD = 'correct horse battery staple';
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** A promise the test settles by hand, so nothing depends on timing. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('createWorkLimiter', () => {
  it('runs at most `concurrency` at once, queues `maxQueued`, and sheds the rest with server_busy', async () => {
    const limiter = createWorkLimiter({ concurrency: 2, maxQueued: 3 });
    const release = gate();
    let running = 0;
    let most = 0;
    const work = async () => {
      running++;
      most = Math.max(most, running);
      await release.opened;
      running--;
      return 'done';
    };
    const results = Array.from({ length: 10 }, () =>
      limiter.run(work).then(
        (v) => v,
        (err: unknown) => (err instanceof AppError ? err.code : err),
      ),
    );
    await vi.waitFor(() => expect(limiter.active).toBe(2));
    expect(limiter.queued).toBe(3);
    release.open();
    expect(await Promise.all(results)).toEqual([...Array(5).fill('done'), ...Array(5).fill('server_busy')]);
    expect(most).toBe(2);
    // Freed slots admit work again.
    expect(await limiter.run(async () => 'again')).toBe('again');
  });
});

describe('password hashing on the hosted pages', () => {
  const hub = useTestHub({ TRUST_PROXY: 'true' });
  let partner: Partner;

  beforeAll(async () => {
    partner = (await partnerFactory(hub.em(), hub.deps, 'Acme SaaS')).partner;
  });
  afterEach(() => vi.restoreAllMocks());

  async function loginForm() {
    const agent = request.agent(hub.app);
    const token = csrfOf((await agent.get('/hub')).text);
    return (email: string, ip: string) =>
      agent
        .post('/hub/login')
        .set('X-Forwarded-For', ip)
        .type('form')
        .send({ _csrf: token, email, password: PASSWORD });
  }

  it('never runs more than two argon2 computations at once, however many logins arrive', async () => {
    let running = 0;
    let most = 0;
    const counted =
      <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
      async (...args: A) => {
        running++;
        most = Math.max(most, running);
        try {
          return await fn(...args);
        } finally {
          running--;
        }
      };
    const { verify, hash } = argon2;
    vi.spyOn(argon2, 'verify').mockImplementation(counted(verify));
    vi.spyOn(argon2, 'hash').mockImplementation(counted(hash) as typeof argon2.hash);
    const login = await loginForm();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(`nobody-${i}@bakery.example`, `10.7.0.${i}`)),
    );
    for (const a of answers) {
      expect([401, 503]).toContain(a.status);
      if (a.status === 503)
        expect([a.headers['x-error-code'], a.headers['retry-after']]).toEqual(['server_busy', '1']);
    }
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('sheds logins and sign-ups with 503 server_busy and Retry-After while the queue is full', async () => {
    const release = gate();
    const held = Array.from({ length: 18 }, () => passwordWork.run(() => release.opened));
    await vi.waitFor(() => expect([passwordWork.active, passwordWork.queued]).toEqual([2, 16]));

    const login = await loginForm();
    const shed = await login('nobody@bakery.example', '10.8.0.1');
    expect([shed.status, shed.headers['x-error-code'], shed.headers['retry-after']]).toEqual([
      503,
      'server_busy',
      '1',
    ]);
    const json = await login('nobody@bakery.example', '10.8.0.1').set('Accept', 'application/json');
    expect([json.status, json.body.error.code]).toEqual([503, 'server_busy']);

    const agent = request.agent(hub.app);
    const page = await agent.get(`/permissions/${partner.id}`);
    const signup = await agent
      .post(`/permissions/${partner.id}/signup`)
      .set('X-Forwarded-For', '10.8.0.2')
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: 'shed@bakery.example', password: PASSWORD });
    expect([signup.status, signup.headers['x-error-code']]).toEqual([503, 'server_busy']);

    release.open();
    await Promise.all(held);
    expect((await login('nobody@bakery.example', '10.8.0.1')).status).toBe(401);
  });
});
