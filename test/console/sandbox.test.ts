import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { consoleClient, consoleErrorCode, consoleUserFactory } from '../support/console.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';

type Role = 'owner' | 'developer' | 'viewer';

async function signedIn(hub: ReturnType<typeof useTestHub>, partner: Partner, role: Role) {
  const { email, password } = await consoleUserFactory(hub, partner.id, role);
  const c = consoleClient(hub.url);
  await c.signIn(email, password);
  return c;
}

describe('console.sandbox: Meta played for the partner’s own numbers', () => {
  const hub = useTestHub({}, { listen: true });

  async function partnerWithNumber(name: string) {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps, name);
    const { channel } = await onboardSandboxChannel(hub, partner);
    return { partner, token, channel };
  }

  it('a developer sends a simulated inbound message: it lands in the number’s message log', async () => {
    const { partner, channel } = await partnerWithNumber('Sandbox Dev Co');
    const c = await signedIn(hub, partner, 'developer');
    const result = await c.api.console.sandbox.inboundMessage.mutate({
      channel_id: channel.id,
      from: '+44 7700 900123',
      text: 'Do you deliver on Sundays?',
    });
    expect(result).toMatchObject({ delivered: true, status: 200, error: null });
    expect(JSON.stringify(result.payload)).toContain('447700900123');
    expect(result).not.toHaveProperty('url');
    await hub.drainJobs();
    const log = await c.api.channels.messages.query({ channel_id: channel.id });
    expect(log.messages).toEqual([
      expect.objectContaining({ direction: 'inbound', contact: '447700900123' }),
    ]);
    expect(JSON.stringify(log.messages[0])).toContain('Do you deliver on Sundays?');
  });

  it('plays a number quality update: the channel shows the new messaging limit', async () => {
    const { partner, channel } = await partnerWithNumber('Sandbox Quality Co');
    const c = await signedIn(hub, partner, 'owner');
    const { fields } = await c.api.console.sandbox.fields.query();
    expect(fields).toContainEqual({ name: 'phone_number_quality_update', about_number: true });
    expect(fields.map((f) => f.name)).not.toContain('account_update');
    const result = await c.api.console.sandbox.fieldWebhook.mutate({
      channel_id: channel.id,
      field: 'phone_number_quality_update',
      event: 'UPGRADE',
      limit: 'TIER_100K',
    });
    expect(result).toMatchObject({ delivered: true, status: 200 });
    await hub.drainJobs();
    expect((await c.api.channels.get.query({ channel_id: channel.id })).current_limit).toBe('TIER_100K');
  });

  it('changes the status of a template of the number’s WABA, and no other', async () => {
    const mine = await partnerWithNumber('Sandbox Templates Co');
    const theirs = await partnerWithNumber('Sandbox Other Templates Co');
    const templateOf = async (p: typeof mine) => {
      const key = await request(hub.app)
        .post(`/api/v2/partners/${p.partner.id}/channels/${p.channel.id}/api_keys`)
        .set(bearer(p.token));
      const res = await request(hub.app)
        .post('/waba/v1/configs/templates')
        .set('D360-API-KEY', key.body.api_key)
        .send({
          name: 'welcome',
          language: 'en_US',
          category: 'UTILITY',
          components: [{ type: 'BODY', text: 'Hi' }],
        });
      return res.body.id as string;
    };
    const own = await templateOf(mine);
    const foreign = await templateOf(theirs);
    const c = await signedIn(hub, mine.partner, 'developer');
    const statusOf = async (id: string) =>
      (
        await query<{ status: string }>(
          hub.em(),
          'select status from sandbox.message_templates where id = ?',
          [id],
        )
      )[0]?.status;
    const result = await c.api.console.sandbox.templateStatus.mutate({
      channel_id: mine.channel.id,
      template_id: own,
      status: 'REJECTED',
      reason: 'INVALID_FORMAT',
    });
    expect(result).toMatchObject({ delivered: true, status: 200 });
    expect(await statusOf(own)).toBe('REJECTED');
    // Another WABA's template, even named through one's own number, is not found and not changed.
    expect(
      await consoleErrorCode(
        c.api.console.sandbox.templateStatus.mutate({
          channel_id: mine.channel.id,
          template_id: foreign,
          status: 'APPROVED',
        }),
      ),
    ).toBe('not_found');
    expect(await statusOf(foreign)).toBe('PENDING');
  });

  it("refuses another partner's number (not_found), a viewer (forbidden) and bad input (validation_failed)", async () => {
    const mine = await partnerWithNumber('Sandbox Guard Co');
    const theirs = await partnerWithNumber('Sandbox Victim Co');
    const dev = await signedIn(hub, mine.partner, 'developer');
    const message = { channel_id: theirs.channel.id, from: '447700900123', text: 'hi' };
    expect(await consoleErrorCode(dev.api.console.sandbox.inboundMessage.mutate(message))).toBe('not_found');
    expect(
      await consoleErrorCode(
        dev.api.console.sandbox.fieldWebhook.mutate({ channel_id: theirs.channel.id, field: 'security' }),
      ),
    ).toBe('not_found');
    const own = { channel_id: mine.channel.id, from: '447700900123', text: 'hi' };
    expect(
      await consoleErrorCode(dev.api.console.sandbox.inboundMessage.mutate({ ...own, from: '12' })),
    ).toBe('validation_failed');
    expect(
      await consoleErrorCode(
        dev.api.console.sandbox.fieldWebhook.mutate({
          channel_id: mine.channel.id,
          field: 'account_update' as 'security',
        }),
      ),
    ).toBe('validation_failed');
    const viewer = await signedIn(hub, mine.partner, 'viewer');
    expect(await consoleErrorCode(viewer.api.console.sandbox.inboundMessage.mutate(own))).toBe('forbidden');
    expect(
      await consoleErrorCode(
        viewer.api.console.sandbox.fieldWebhook.mutate({ channel_id: mine.channel.id, field: 'security' }),
      ),
    ).toBe('forbidden');
    // Nothing reached the victim's number.
    await hub.drainJobs();
    const victimLog = await hub.trpc(theirs.token).channels.messages({ channel_id: theirs.channel.id });
    expect(victimLog.messages).toEqual([]);
    // Signed out: unauthorized; on /trpc (partner tokens) the console's procedures do not exist.
    const anonymous = consoleClient(hub.url);
    await anonymous.refresh();
    expect(await consoleErrorCode(anonymous.api.console.sandbox.inboundMessage.mutate(own))).toBe(
      'unauthorized',
    );
  });
});

describe('console.sandbox on a hub with a real Meta app', () => {
  const hub = useTestHub(
    { META_APP_ID: '123', META_APP_SECRET: 'meta-app-secret', META_CONFIG_ID: '456' },
    { listen: true },
  );

  it('is not found', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'Live Co');
    const c = await signedIn(hub, partner, 'owner');
    expect((await c.api.console.session.get.query()).sandbox).toBe(false);
    expect(await consoleErrorCode(c.api.console.sandbox.fields.query())).toBe('not_found');
    expect(
      await consoleErrorCode(
        c.api.console.sandbox.inboundMessage.mutate({
          channel_id: 'chn_x',
          from: '447700900123',
          text: 'hi',
        }),
      ),
    ).toBe('not_found');
  });
});
