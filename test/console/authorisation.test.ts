import { TRPCClientError } from '@trpc/client';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { SECOND_FACTOR_WINDOW_MS } from '../../server/console/session.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { ConsoleInvite } from '../../server/modules/console-users/console-invite.entity.ts';
import { ConsoleUser } from '../../server/modules/console-users/console-user.entity.ts';
import { INVITE_TTL_MS } from '../../server/modules/console-users/invites.service.ts';
import { CONSOLE_PASSWORD, consoleClient, consoleErrorCode, consoleUserFactory } from '../support/console.ts';
import { channelFactory, clientFactory, partnerFactory, permissionFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const NEW_PASSWORD = 'a long new password 42';

/** `code: message` of a refused call, for refusals whose message carries the reason. */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    if (err instanceof TRPCClientError)
      return `${(err.data as { error_code: string }).error_code}: ${err.message}`;
    throw err;
  }
  return 'accepted';
}

describe('console authorisation', () => {
  const hub = useTestHub({}, { listen: true });

  /** A partner with one client and number, and a signed-in console user of each given role. */
  async function world(name: string) {
    const { partner } = await partnerFactory(hub.em(), hub.deps, name);
    const client = await clientFactory(hub.em(), partner, { name: `${name} client` });
    const channel = await channelFactory(hub.em(), client);
    // A partner reaches a number through its permission on it.
    await permissionFactory(hub.em(), partner, channel);
    const signedIn = async (role: 'owner' | 'developer' | 'viewer') => {
      const { email, password, user } = await consoleUserFactory(hub, partner.id, role);
      const c = consoleClient(hub.url);
      await c.signIn(email, password);
      return Object.assign(c, { user, email });
    };
    return { partner, client, channel, signedIn };
  }

  /** The current TOTP code of a secret at the hub's (test) clock, `steps` periods away. */
  const codeOf = (secret: string, steps = 0) =>
    new TOTP({ secret: Secret.fromBase32(secret), period: 30 }).generate({
      timestamp: hub.clock.now().getTime() + steps * 30_000,
    });

  async function enableTotp(c: ReturnType<typeof consoleClient>) {
    const { secret } = await c.api.console.account.startTotp.mutate();
    await c.api.console.account.confirmTotp.mutate({ code: codeOf(secret) });
    // The confirming code's step is used up: the next login needs a later one.
    hub.clock.advance(30_000);
    return secret;
  }

  it('a viewer reads but changes nothing: keys, tokens, settings, team', async () => {
    const { channel, signedIn } = await world('Viewer World');
    const viewer = await signedIn('viewer');
    expect((await viewer.api.channels.list.query({})).channels.map((c) => c.id)).toEqual([channel.id]);
    expect((await viewer.api.console.team.list.query()).users.map((u) => u.role)).toEqual(['viewer']);
    const refused = [
      () => viewer.api.apiKeys.create.mutate({ channel_id: channel.id }),
      () => viewer.api.tokens.rotate.mutate({ grace_period_seconds: 0 }),
      () => viewer.api.partner.update.mutate({ brand_name: 'Hijacked' }),
      () => viewer.api.console.team.invite.mutate({ email: 'friend@viewer.test', role: 'owner' }),
      () => viewer.api.webhooks.endpoints.rotateSecret.mutate({ endpoint_id: 'primary' }),
      () =>
        viewer.api.channels.revealSecrets.mutate({ channel_id: channel.id, secret_types: ['access_token'] }),
    ];
    // Called one at a time, so no refusal goes unhandled while another is awaited.
    for (const call of refused) expect(await consoleErrorCode(call())).toBe('forbidden');
    // Token metadata (prefix, last four) is no secret: a viewer may list it.
    expect((await viewer.api.tokens.list.query({})).tokens.length).toBeGreaterThan(0);
  });

  it('a developer builds (keys) but cannot rotate tokens, update settings or manage the team', async () => {
    const { channel, signedIn } = await world('Developer World');
    const developer = await signedIn('developer');
    const key = await developer.api.apiKeys.create.mutate({ channel_id: channel.id });
    expect(key.api_key).toMatch(/^hubk_/);
    for (const call of [
      () => developer.api.tokens.rotate.mutate({ grace_period_seconds: 0 }),
      () => developer.api.partner.update.mutate({ brand_name: 'Hijacked' }),
      () => developer.api.console.team.invite.mutate({ email: 'friend@dev.test', role: 'viewer' }),
      () => developer.api.console.team.changeRole.mutate({ user_id: developer.user.id, role: 'owner' }),
      () => developer.api.console.team.remove.mutate({ user_id: developer.user.id }),
    ])
      expect(await consoleErrorCode(call())).toBe('forbidden');
    expect((await developer.api.partner.me.query()).brand_name).toBeNull();
  });

  it('a partner user sees only their own partner: lists, ids of another partner, team members', async () => {
    const mine = await world('Mine');
    const theirs = await world('Theirs');
    const owner = await mine.signedIn('owner');
    const other = await theirs.signedIn('owner');
    expect((await owner.api.clients.list.query({})).clients.map((c) => c.id)).toEqual([mine.client.id]);
    expect((await owner.api.channels.list.query({})).channels.map((c) => c.id)).toEqual([mine.channel.id]);
    expect(await consoleErrorCode(owner.api.channels.get.query({ channel_id: theirs.channel.id }))).toBe(
      'not_found',
    );
    expect(await consoleErrorCode(owner.api.clients.get.query({ client_id: theirs.client.id }))).toBe(
      'not_found',
    );
    const team = await owner.api.console.team.list.query();
    expect(team.users.map((u) => u.id)).toEqual([owner.user.id]);
    expect(
      await consoleErrorCode(
        owner.api.console.team.changeRole.mutate({ user_id: other.user.id, role: 'viewer' }),
      ),
    ).toBe('not_found');
    expect(await consoleErrorCode(owner.api.console.team.remove.mutate({ user_id: other.user.id }))).toBe(
      'not_found',
    );
    const invite = await other.api.console.team.invite.mutate({ email: 'x@theirs.test', role: 'viewer' });
    expect(await consoleErrorCode(owner.api.console.team.revokeInvite.mutate({ invite_id: invite.id }))).toBe(
      'not_found',
    );
    expect((await other.api.console.team.list.query()).invites.map((i) => i.id)).toEqual([invite.id]);
  });

  it('owners change roles and remove members, but a partner always keeps an owner; all audited', async () => {
    const { partner, signedIn } = await world('Owners');
    const owner = await signedIn('owner');
    const developer = await signedIn('developer');
    expect(
      await consoleErrorCode(
        owner.api.console.team.changeRole.mutate({ user_id: owner.user.id, role: 'viewer' }),
      ),
    ).toBe('conflict');
    expect(await consoleErrorCode(owner.api.console.team.remove.mutate({ user_id: owner.user.id }))).toBe(
      'conflict',
    );
    const promoted = await owner.api.console.team.changeRole.mutate({
      user_id: developer.user.id,
      role: 'owner',
    });
    expect(promoted.role).toBe('owner');
    // The role is read on every request: the promoted user may rotate tokens at once.
    await developer.api.tokens.rotate.mutate({ grace_period_seconds: 3600 });
    await developer.api.console.team.remove.mutate({ user_id: owner.user.id });
    expect(await consoleErrorCode(owner.api.partner.me.query())).toBe('unauthorized');
    const actions = (await hub.em().find(AuditLog, { partner: partner.id })).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['console_user.role_changed', 'partner_token.rotated', 'console_user.removed']),
    );
  });

  describe('two-factor sign-in', () => {
    it('login then needs the code; a wrong or replayed code is refused; the pending step expires', async () => {
      const { signedIn } = await world('Totp');
      const owner = await signedIn('owner');
      const secret = await enableTotp(owner);
      expect((await owner.api.console.session.get.query()).user?.totp_enabled).toBe(true);

      const c = consoleClient(hub.url);
      expect(await c.signIn(owner.email, CONSOLE_PASSWORD)).toEqual({ status: 'second_factor' });
      // The password alone signs no one in.
      expect(await consoleErrorCode(c.api.partner.me.query())).toBe('unauthorized');
      expect((await c.api.console.session.get.query()).second_factor_pending).toBe(true);
      const wrong = codeOf(secret, 5);
      expect(await consoleErrorCode(c.api.console.session.verifySecondFactor.mutate({ code: wrong }))).toBe(
        'unauthorized',
      );
      const code = codeOf(secret);
      await c.api.console.session.verifySecondFactor.mutate({ code });
      await c.refresh();
      expect((await c.api.partner.me.query()).name).toBe('Totp');

      // The same code again, in another login within its 30 s: refused.
      const replay = consoleClient(hub.url);
      await replay.signIn(owner.email, CONSOLE_PASSWORD);
      expect(await consoleErrorCode(replay.api.console.session.verifySecondFactor.mutate({ code }))).toBe(
        'unauthorized',
      );

      // A password step left waiting longer than the window must start again.
      hub.clock.advance(30_000);
      const late = consoleClient(hub.url);
      await late.signIn(owner.email, CONSOLE_PASSWORD);
      hub.clock.advance(SECOND_FACTOR_WINDOW_MS);
      expect((await late.api.console.session.get.query()).second_factor_pending).toBe(false);
      expect(
        await consoleErrorCode(late.api.console.session.verifySecondFactor.mutate({ code: codeOf(secret) })),
      ).toBe('unauthorized');
    });

    it('enrolment needs a right code; turning it off needs a code too', async () => {
      const { signedIn } = await world('Totp Off');
      const viewer = await signedIn('viewer');
      const { secret, qr_svg, otpauth_uri } = await viewer.api.console.account.startTotp.mutate();
      expect(qr_svg).toMatch(/^<svg/);
      expect(otpauth_uri).toContain(`secret=${secret}`);
      expect(
        await consoleErrorCode(viewer.api.console.account.confirmTotp.mutate({ code: codeOf(secret, 9) })),
      ).toBe('validation_failed');
      // Not on until confirmed: login still needs the password only.
      expect(await consoleClient(hub.url).signIn(viewer.email, CONSOLE_PASSWORD)).toEqual({
        status: 'signed_in',
      });
      await viewer.api.console.account.confirmTotp.mutate({ code: codeOf(secret) });
      expect(await consoleErrorCode(viewer.api.console.account.startTotp.mutate())).toBe('conflict');
      hub.clock.advance(30_000);
      expect(
        await consoleErrorCode(viewer.api.console.account.disableTotp.mutate({ code: codeOf(secret, 9) })),
      ).toBe('validation_failed');
      expect(
        (await viewer.api.console.account.disableTotp.mutate({ code: codeOf(secret) })).totp_enabled,
      ).toBe(false);
      expect(await consoleClient(hub.url).signIn(viewer.email, CONSOLE_PASSWORD)).toEqual({
        status: 'signed_in',
      });
    });
  });

  describe('your account', () => {
    it('renames, and changes the password given the current one, ending the other sessions', async () => {
      const { signedIn } = await world('Account');
      const me = await signedIn('viewer');
      const elsewhere = consoleClient(hub.url);
      await elsewhere.signIn(me.email, CONSOLE_PASSWORD);
      expect((await me.api.console.account.rename.mutate({ name: '  Ada  ' })).name).toBe('Ada');
      expect(
        await consoleErrorCode(
          me.api.console.account.changePassword.mutate({
            current_password: 'not it',
            new_password: NEW_PASSWORD,
          }),
        ),
      ).toBe('validation_failed');
      expect(
        await consoleErrorCode(
          me.api.console.account.changePassword.mutate({
            current_password: CONSOLE_PASSWORD,
            new_password: 'short',
          }),
        ),
      ).toBe('validation_failed');
      const changed = await me.api.console.account.changePassword.mutate({
        current_password: CONSOLE_PASSWORD,
        new_password: NEW_PASSWORD,
      });
      expect(changed.other_sessions_ended).toBe(1);
      expect((await me.api.console.session.get.query()).user?.name).toBe('Ada');
      expect(await consoleErrorCode(elsewhere.api.partner.me.query())).toBe('unauthorized');
      expect(await consoleErrorCode(consoleClient(hub.url).signIn(me.email, CONSOLE_PASSWORD))).toBe(
        'unauthorized',
      );
      expect(await consoleClient(hub.url).signIn(me.email, NEW_PASSWORD)).toEqual({ status: 'signed_in' });
    });
  });

  describe('invites', () => {
    async function invited(role: 'owner' | 'developer' | 'viewer' = 'developer') {
      const w = await world(`Invites ${role} ${Date.now()}`);
      const owner = await w.signedIn('owner');
      const email = `new-${role}-${Date.now()}@invitee.test`;
      const invite = await owner.api.console.team.invite.mutate({ email: email.toUpperCase(), role });
      const guest = consoleClient(hub.url);
      await guest.refresh();
      return { ...w, owner, invite, guest, email };
    }

    it('the invitee joins the inviting partner with the invite’s role, signed in; the link is then used', async () => {
      const { partner, owner, invite, guest, email } = await invited('developer');
      expect(invite.token).toMatch(/^hubi_[0-9A-Za-z]{36}$/);
      expect(invite.url).toBe(`${hub.url}/console/invite/${invite.token}`);
      expect(new Date(invite.expires_at).getTime() - hub.clock.now().getTime()).toBe(INVITE_TTL_MS);
      // Only the digest is kept.
      const row = await hub.em().findOneOrFail(ConsoleInvite, invite.id);
      expect(row.tokenHash).not.toContain(invite.token);
      expect(row.tokenHash).toHaveLength(64);
      expect((await owner.api.console.team.list.query()).invites).toMatchObject([
        { id: invite.id, email, role: 'developer' },
      ]);

      expect(await guest.api.console.invites.preview.query({ token: invite.token })).toMatchObject({
        email,
        role: 'developer',
        partner_name: partner.name,
      });
      expect(
        await consoleErrorCode(
          guest.api.console.invites.accept.mutate({
            token: invite.token,
            name: 'Newbie',
            password: 'too short',
          }),
        ),
      ).toBe('validation_failed');
      expect(
        await guest.api.console.invites.accept.mutate({
          token: invite.token,
          name: 'Newbie',
          password: NEW_PASSWORD,
        }),
      ).toEqual({ status: 'signed_in', role: 'developer' });
      await guest.refresh();
      const session = await guest.api.console.session.get.query();
      expect(session.user).toMatchObject({
        email,
        role: 'developer',
        partner_id: partner.id,
        name: 'Newbie',
      });
      expect(session.user?.last_login_at).not.toBeNull();
      expect((await guest.api.partner.me.query()).id).toBe(partner.id);
      expect(await consoleClient(hub.url).signIn(email, NEW_PASSWORD)).toEqual({ status: 'signed_in' });

      // Used: neither preview nor accept works again, and the list no longer shows it.
      const again = consoleClient(hub.url);
      await again.refresh();
      expect(await consoleErrorCode(again.api.console.invites.preview.query({ token: invite.token }))).toBe(
        'not_found',
      );
      expect(
        await consoleErrorCode(
          again.api.console.invites.accept.mutate({
            token: invite.token,
            name: 'Twice',
            password: NEW_PASSWORD,
          }),
        ),
      ).toBe('not_found');
      expect(await refusal(again.api.console.invites.preview.query({ token: invite.token }))).toMatch(
        /^not_found: .*used already/,
      );
      const team = await owner.api.console.team.list.query();
      expect(team.invites).toEqual([]);
      expect(team.users.map((u) => u.email)).toContain(email);
      const actions = (await hub.em().find(AuditLog, { partner: partner.id })).map((a) => a.action);
      expect(actions).toEqual(expect.arrayContaining(['console_invite.created', 'console_invite.accepted']));
      const users = await hub.em().count(ConsoleUser, { email });
      expect(users).toBe(1);
    });

    it('a revoked, expired, replaced or made-up link is refused with not_found and its reason', async () => {
      const { owner, invite, guest, email } = await invited('viewer');
      await owner.api.console.team.revokeInvite.mutate({ invite_id: invite.id });
      expect(
        await consoleErrorCode(owner.api.console.team.revokeInvite.mutate({ invite_id: invite.id })),
      ).toBe('conflict');
      const accept = (token: string) =>
        refusal(guest.api.console.invites.accept.mutate({ token, name: 'X', password: NEW_PASSWORD }));
      expect(await consoleErrorCode(guest.api.console.invites.preview.query({ token: invite.token }))).toBe(
        'not_found',
      );
      expect(await accept(invite.token)).toMatch(/^not_found: .*revoked/);

      const first = await owner.api.console.team.invite.mutate({ email, role: 'viewer' });
      const second = await owner.api.console.team.invite.mutate({ email, role: 'developer' });
      // A fresh invite to the same address replaces the earlier one.
      expect(await consoleErrorCode(guest.api.console.invites.preview.query({ token: first.token }))).toBe(
        'not_found',
      );
      expect((await owner.api.console.team.list.query()).invites.map((i) => i.id)).toEqual([second.id]);

      hub.clock.advance(INVITE_TTL_MS);
      expect(await consoleErrorCode(guest.api.console.invites.preview.query({ token: second.token }))).toBe(
        'not_found',
      );
      expect(await accept(second.token)).toMatch(/^not_found: .*expired/);
      expect((await owner.api.console.team.list.query()).invites).toEqual([]);
      expect(await accept('hubi_madeup')).toMatch(/^not_found: .*copied whole/);
      expect(await hub.em().count(ConsoleUser, { email })).toBe(0);
    });

    it('an address that already has a console user cannot be invited nor accept', async () => {
      const { owner, invite, guest, email } = await invited('viewer');
      expect(
        await consoleErrorCode(owner.api.console.team.invite.mutate({ email: owner.email, role: 'viewer' })),
      ).toBe('conflict');
      // Someone with this address joined meanwhile (another partner, say): accepting conflicts.
      const { partner: elsewhere } = await partnerFactory(hub.em(), hub.deps, 'Elsewhere');
      await consoleUserFactory(hub, elsewhere.id, 'viewer', email);
      expect(
        await consoleErrorCode(
          guest.api.console.invites.accept.mutate({
            token: invite.token,
            name: 'Late',
            password: NEW_PASSWORD,
          }),
        ),
      ).toBe('conflict');
    });

    it('accepting is throttled per address, as sign-ups are', async () => {
      const guest = consoleClient(hub.url);
      await guest.refresh();
      const codes: string[] = [];
      // 20 sign-ups an hour per address (RATE_LIMIT_SIGNUP_PER_IP_PER_HOUR); earlier tests spent some.
      // Last in the file: the budget it spends is the whole file's (every call comes from 127.0.0.1).
      for (let i = 0; i < 21 && !codes.includes('rate_limited'); i++)
        codes.push(
          await consoleErrorCode(
            guest.api.console.invites.accept.mutate({
              token: 'hubi_madeup',
              name: 'X',
              password: NEW_PASSWORD,
            }),
          ),
        );
      expect(codes.at(-1)).toBe('rate_limited');
      expect(new Set(codes.slice(0, -1))).toEqual(new Set(['not_found']));
    });
  });
});
