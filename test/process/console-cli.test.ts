import { beforeAll, describe, expect, it } from 'vitest';
import { ConsoleUser } from '../../server/modules/console-users/console-user.entity.ts';
import { consoleClient } from '../support/console.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { runCli } from '../support/processes.ts';

const hub = useTestHub({}, { listen: true });

describe('npx partner-hub console create-user', () => {
  let env: Record<string, string>;
  let partnerId: string;
  beforeAll(async () => {
    env = { DATABASE_URL: hub.databaseUrl, HUB_SECRET: hub.deps.config.hubSecret! };
    partnerId = (await partnerFactory(hub.em(), hub.deps, 'CLI Console')).partner.id;
  });

  it('creates a partner’s owner whose CONSOLE_PASSWORD signs in to the console', async () => {
    const password = 'first owner password';
    const res = await runCli(
      ['console', 'create-user', '--email', 'First.Owner@cli.test', '--partner', partnerId, '--json'],
      { ...env, CONSOLE_PASSWORD: password },
    );
    expect(res.code, res.stderr).toBe(0);
    const created = JSON.parse(res.stdout);
    // The password was given, so it is not printed back.
    expect(created).toMatchObject({
      email: 'first.owner@cli.test',
      role: 'owner',
      partner_id: partnerId,
      password: null,
    });
    const c = consoleClient(hub.url);
    expect(await c.signIn('first.owner@cli.test', password)).toEqual({ status: 'signed_in' });
    expect((await c.api.console.session.get.query()).user).toMatchObject({ id: created.id, role: 'owner' });
  });

  it('refuses a role that is not owner, developer or viewer, and a short CONSOLE_PASSWORD', async () => {
    const bad = await runCli(
      ['console', 'create-user', '--email', 'bad@cli.test', '--partner', partnerId, '--role', 'operator'],
      { ...env, CONSOLE_PASSWORD: 'long enough password' },
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--role must be owner, developer or viewer (got "operator")');
    const admin = await runCli(
      ['console', 'create-user', '--email', 'bad@cli.test', '--partner', partnerId, '--role', 'admin'],
      { ...env, CONSOLE_PASSWORD: 'long enough password' },
    );
    expect(admin.code).not.toBe(0);
    expect(admin.stderr).toContain('(got "admin")');
    const short = await runCli(
      ['console', 'create-user', '--email', 'bad@cli.test', '--partner', partnerId],
      {
        ...env,
        CONSOLE_PASSWORD: 'short',
      },
    );
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain('at least 12 characters');
    expect(await hub.em().count(ConsoleUser, { email: 'bad@cli.test' })).toBe(0);
  });
});
