import { describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { DEMO_CONSOLE_USERS } from '../../server/demo/demo-console-users.ts';
import { consoleClient, consoleErrorCode, consoleUserFactory } from '../support/console.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

describe('console sessions', () => {
  const hub = useTestHub({}, { listen: true });

  it('signs in with email and password, acts for the user’s partner only, and signs out', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'Acme');
    const { partner: other } = await partnerFactory(hub.em(), hub.deps, 'Other');
    const { email, password } = await consoleUserFactory(hub, partner.id, 'owner');
    const c = consoleClient(hub.url);
    expect(await consoleErrorCode(c.api.partner.me.query())).toBe('unauthorized');
    await c.refresh();
    expect(
      await consoleErrorCode(c.api.console.session.login.mutate({ email, password: 'wrong password' })),
    ).toBe('unauthorized');
    expect(await c.signIn(email.toUpperCase(), password)).toEqual({ status: 'signed_in' });
    const me = await c.api.partner.me.query();
    expect(me.id).toBe(partner.id);
    // A partner user cannot name another partner: every procedure acts for the session's partner.
    expect(me.id).not.toBe(other.id);
    const session = await c.api.console.session.get.query();
    expect(session.user).toMatchObject({ email: email.toLowerCase(), role: 'owner', partner_id: partner.id });
    await c.api.console.session.logout.mutate();
    expect(await consoleErrorCode(c.api.partner.me.query())).toBe('unauthorized');
  });

  it('refuses mutations without the session’s CSRF token', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'Csrf');
    const { email, password } = await consoleUserFactory(hub, partner.id, 'owner');
    const c = consoleClient(hub.url);
    await c.signIn(email, password);
    const res = await fetch(`${hub.url}/console/trpc/partner.update`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: JSON.stringify({ name: 'Hijacked' }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { data: { error_code: string } } }).error.data.error_code).toBe(
      'invalid_csrf_token',
    );
    // The client library reads the refusal as one of its own errors, with the stable code.
    const stale = consoleClient(hub.url);
    await stale.signIn(email, password);
    for (const [k, v] of c.jar) if (k.endsWith('csrf')) stale.jar.set(k, `${v}x`);
    expect(await consoleErrorCode(stale.api.partner.update.mutate({ name: 'Hijacked' }))).toBe(
      'invalid_csrf_token',
    );
    expect((await c.api.partner.me.query()).name).toBe('Csrf');
  });

  it('serves the partner API on /trpc to partner tokens only, never the console’s procedures', async () => {
    const res = await fetch(`${hub.url}/trpc/console.session.get`);
    expect(res.status).toBe(404);
  });

  it('operators reach no partner procedure', async () => {
    const { email, password } = await consoleUserFactory(hub, null, 'operator');
    const c = consoleClient(hub.url);
    await c.signIn(email, password);
    expect(await consoleErrorCode(c.api.partner.me.query())).toBe('forbidden');
  });

  it('throttles sign-in per account and address: the 11th attempt in 15 minutes is refused before the password is checked', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'Throttled');
    const { email, password } = await consoleUserFactory(hub, partner.id, 'viewer');
    const c = consoleClient(hub.url);
    await c.refresh();
    for (let i = 0; i < 10; i++)
      expect(
        await consoleErrorCode(c.api.console.session.login.mutate({ email, password: `wrong-${i}` })),
      ).toBe('unauthorized');
    // Even the right password: the budget is spent.
    expect(await consoleErrorCode(c.api.console.session.login.mutate({ email, password }))).toBe(
      'rate_limited',
    );
  });

  it('audits each sign-in with the user as actor', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'Audited');
    const { email, password, user } = await consoleUserFactory(hub, partner.id, 'developer');
    await consoleClient(hub.url).signIn(email, password);
    const rows = await query<{ actor_type: string; actor_id: string }>(
      hub.em(),
      `select actor_type, actor_id from audit_logs where action = 'console_user.signed_in' and target_id = ?`,
      [user.id],
    );
    expect(rows).toEqual([{ actor_type: 'partner_user', actor_id: user.id }]);
  });

  it('in sandbox mode the README’s demo accounts sign in: the demo partner’s owner, and an operator', async () => {
    const [owner, operator] = DEMO_CONSOLE_USERS;
    const c = consoleClient(hub.url);
    expect(await c.signIn(owner.email, owner.password)).toEqual({ status: 'signed_in' });
    const session = await c.api.console.session.get.query();
    expect(session.user).toMatchObject({ email: owner.email, role: 'owner' });
    expect((await c.api.partner.me.query()).brand_name).toBe('Acme Messaging (demo)');
    // A second sign-in finds the account made by the first.
    const again = consoleClient(hub.url);
    await again.signIn(owner.email, owner.password);
    const ops = consoleClient(hub.url);
    await ops.signIn(operator.email, operator.password);
    expect((await ops.api.console.session.get.query()).user).toMatchObject({
      role: 'operator',
      partner_id: null,
    });
  });
});
