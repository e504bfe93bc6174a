import { describe, expect, it } from 'vitest';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { channelSecretContext } from '../../server/modules/channels/channel-secrets.ts';
import { provisionChannel } from '../../server/modules/channels/provisioning.service.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { createClient } from '../../server/modules/clients/clients.service.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { provisioningDeps, randomPhone, sandboxSignup, TEST_ACTOR } from '../support/sandbox.ts';
import { dataOf } from '../support/webhooks.ts';

describe('channel provisioning against the sandbox Graph API (real HTTP)', () => {
  const hub = useTestHub({}, { listen: true });

  async function newClient() {
    const em = hub.em();
    const { partner } = await partnerFactory(em, hub.deps, 'Acme SaaS');
    const client = await createClient(em, hub.clock, partner, { name: 'Sunrise Bakery' }, TEST_ACTOR);
    return hub.em().findOneOrFail(Client, client.id, { populate: ['partner'] });
  }

  const provision = async (
    client: Client,
    input: { code: string; waba_id: string; phone_number_id: string; business_id?: string },
    extra: { connectionType?: 'cloud_api' | 'coexistence' } = {},
  ) =>
    provisionChannel(
      hub.em(),
      provisioningDeps(hub),
      {
        client,
        code: input.code,
        wabaId: input.waba_id,
        phoneNumberId: input.phone_number_id,
        businessId: input.business_id,
        ...extra,
      },
      TEST_ACTOR,
    );

  it('exchanges the code, subscribes, registers, reads details and records channel.created', async () => {
    const client = await newClient();
    const signup = await sandboxSignup(hub, { phone_number: '+1 555 000 1111' });
    const { channel, created, repeated } = await provision(client, signup);
    expect({ created, repeated }).toEqual({ created: true, repeated: false });

    const stored = await hub.em().findOneOrFail(Channel, channel.id);
    expect(stored).toMatchObject({
      status: 'live',
      phoneNumber: '15550001111',
      wabaId: signup.waba_id,
      phoneNumberId: signup.phone_number_id,
      businessId: signup.business_id,
      verifiedName: 'Sunrise Bakery',
      connectionType: 'cloud_api',
    });
    expect(stored.wabaSubscribedAt).toBeInstanceOf(Date);
    // The business token is stored sealed and bound to this row.
    const token = hub.deps.secretBox.decrypt(
      stored.metaTokenSealed!,
      channelSecretContext(stored.id, 'meta_token'),
    );
    expect(token).toMatch(/^EAAG/);
    expect(stored.metaTokenSealed).not.toContain(token);
    const pin = hub.deps.secretBox.decrypt(
      stored.registrationPinSealed!,
      channelSecretContext(stored.id, 'registration_pin'),
    );
    expect(pin).toMatch(/^\d{6}$/);

    // Meta's side agrees: the number is registered and the app subscribed with the hub's callback.
    const phone = await hub.deps.graph.getPhoneNumber(signup.phone_number_id, token);
    expect(phone.status).toBe('CONNECTED');
    const subscribed = await fetch(
      `${hub.url}/sandbox/graph/v23.0/${signup.waba_id}/subscribed_apps?access_token=${token}`,
    ).then((r) => r.json() as Promise<{ data: { override_callback_uri?: string }[] }>);
    expect(subscribed.data[0]?.override_callback_uri).toBe(`${hub.url}/meta/webhook`);

    const events = await hub.em().find(WebhookEvent, { channel: channel.id }, { orderBy: { type: 'asc' } });
    expect(events.map((e) => [e.type, dataOf(e).status, dataOf(e).connection_type])).toEqual([
      ['channel.created', 'live', 'cloud_api'],
      ['channel.mode_resolved', undefined, 'cloud_api'],
    ]);
  });

  it('subscribes the app to the WABA before overriding its callback, which Meta (and the sandbox) require', async () => {
    // An override on a WABA the app is not subscribed to is refused, as at Meta…
    const other = await sandboxSignup(hub);
    const otherToken = (await hub.deps.graph.exchangeCode(other.code)).access_token;
    await expect(
      hub.deps.graph.subscribeApp(other.waba_id, otherToken, {
        callbackUri: `${hub.url}/meta/webhook`,
        verifyToken: hub.deps.meta.verifyToken,
      }),
    ).rejects.toMatchObject({
      code: 100,
      message: expect.stringContaining(
        'Before override the current callback uri, your app must be subscribed',
      ),
    });
    // …so provisioning (which overrides with the hub's callback) subscribes first and succeeds.
    const client = await newClient();
    const signup = await sandboxSignup(hub);
    const { channel } = await provision(client, signup);
    expect(channel.status).toBe('live');
  });

  it('treats a repeated callback with the same code as the same provisioning', async () => {
    const client = await newClient();
    const signup = await sandboxSignup(hub);
    const first = await provision(client, signup);
    const again = await provision(client, signup);
    expect(again).toMatchObject({ created: false, repeated: true });
    expect(again.channel.id).toBe(first.channel.id);
    // Concurrent repeats are serialised on the code and agree too.
    const both = await Promise.all([provision(client, signup), provision(client, signup)]);
    expect(both.map((b) => b.channel.id)).toEqual([first.channel.id, first.channel.id]);
    // channel.created and channel.mode_resolved, once.
    expect(await hub.em().count(WebhookEvent, { channel: first.channel.id })).toBe(2);
  });

  it('refuses a code Meta does not know, with meta_error carrying Meta code and subcode', async () => {
    const client = await newClient();
    const signup = await sandboxSignup(hub);
    await expect(provision(client, { ...signup, code: 'not-a-real-code' })).rejects.toMatchObject({
      code: 'meta_error',
      details: { meta_code: 100 },
    });
    expect(await hub.em().count(Channel, { phoneNumberId: signup.phone_number_id })).toBe(0);
  });

  it('refuses an expired code', async () => {
    const client = await newClient();
    const signup = await sandboxSignup(hub);
    hub.clock.advance(11 * 60 * 1000);
    await expect(provision(client, signup)).rejects.toMatchObject({
      code: 'meta_error',
      details: { meta_code: 100, meta_subcode: 36007 },
    });
  });

  it('refuses a WABA that is not in the token granular scopes', async () => {
    const client = await newClient();
    const mine = await sandboxSignup(hub);
    const someoneElses = await sandboxSignup(hub);
    await expect(
      provision(client, {
        ...mine,
        waba_id: someoneElses.waba_id,
        phone_number_id: someoneElses.phone_number_id,
      }),
    ).rejects.toMatchObject({ code: 'waba_not_in_scopes', details: { waba_id: someoneElses.waba_id } });
    expect(await hub.em().count(Channel, { phoneNumberId: someoneElses.phone_number_id })).toBe(0);
  });

  it('does not register a coexistence number', async () => {
    const client = await newClient();
    const signup = await sandboxSignup(hub, { connection_type: 'coexistence' });
    const { channel } = await provision(client, signup, { connectionType: 'coexistence' });
    const stored = await hub.em().findOneOrFail(Channel, channel.id);
    expect(stored.connectionType).toBe('coexistence');
    expect(stored.registrationPinSealed).toBeNull();
    const token = hub.deps.secretBox.decrypt(
      stored.metaTokenSealed!,
      channelSecretContext(stored.id, 'meta_token'),
    );
    expect((await hub.deps.graph.getPhoneNumber(signup.phone_number_id, token)).is_on_biz_app).toBe(true);
  });

  it('reconnecting a number updates the same channel and records channel.updated', async () => {
    const client = await newClient();
    const phone = '15557654321';
    const first = await provision(client, await sandboxSignup(hub, { phone_number: phone }));
    // The business's WABA gets restricted by Meta, then the business reconnects.
    const em = hub.em();
    const stored = await em.findOneOrFail(Channel, first.channel.id);
    stored.status = 'disconnected';
    await em.flush();
    const second = await provision(client, await sandboxSignup(hub, { phone_number: phone }));
    expect(second).toMatchObject({ created: false, repeated: false });
    expect(second.channel.id).toBe(first.channel.id);
    const updated = await hub.em().find(WebhookEvent, { channel: first.channel.id, type: 'channel.updated' });
    expect(updated.map(dataOf)).toEqual([
      expect.objectContaining({ status: 'live', changed_fields: ['status'] }),
    ]);
  });

  it('provisions 14 numbers at once while the sandbox answers Meta from the same 5-connection pool', async () => {
    const client = await newClient();
    const signups = await Promise.all(Array.from({ length: 14 }, () => sandboxSignup(hub)));
    // Meta's calls hold no connection: were they made inside the transaction, 5 provisionings
    // would take the pool and the emulator answering them would wait for it forever.
    const results = await Promise.allSettled(signups.map((signup) => provision(client, signup)));
    expect(results.map((r) => r.status)).toEqual(signups.map(() => 'fulfilled'));
    const stored = await hub.em().find(Channel, { phoneNumberId: signups.map((s) => s.phone_number_id) });
    expect(stored.map((c) => c.status)).toEqual(signups.map(() => 'live'));
  }, 60_000);

  it('a number signed up twice at once, with two codes, ends as one channel', async () => {
    const client = await newClient();
    const phone = randomPhone();
    const first = await sandboxSignup(hub, { phone_number: phone });
    const retry = await sandboxSignup(hub, { phone_number: phone });
    expect(retry.phone_number_id).toBe(first.phone_number_id);
    const both = await Promise.all([provision(client, first), provision(client, retry)]);
    expect(both.map((b) => b.created).sort()).toEqual([false, true]);
    expect(both[0].channel.id).toBe(both[1].channel.id);
    const stored = await hub.em().find(Channel, { phoneNumberId: first.phone_number_id });
    expect(stored.map((c) => c.status)).toEqual(['live']);
    const events = await hub.em().find(WebhookEvent, { channel: stored[0]!.id });
    expect(events.map((e) => e.type).sort()).toEqual(['channel.created', 'channel.mode_resolved']);
  });
});
