import { createHash, randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SecretBox } from '../../server/crypto/secret-box.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createOrm } from '../../server/db/orm.ts';
import { query } from '../../server/db/sql.ts';
import {
  extraHeaders,
  type SealedOwner,
  signingSecrets,
} from '../../server/modules/webhooks/destination-secrets.ts';
import { adminQuery, databaseUrlFor } from '../support/admin.ts';

const BEFORE = 'Migration20261124090000_client_sessions';
const box = new SecretBox(['migration-test-secret-migration-test']);
const at = new Date('2026-11-30T10:00:00.000Z');
const later = new Date(Date.now() + 86_400_000);

/**
 * Event path v2 moves partners' webhook settings, channel webhooks of grants and extra endpoints
 * into one destination table. Data written by the previous schema must arrive whole: URLs,
 * secrets the new code can still open (their associated data is unchanged), headers, pending
 * deliveries pointing at their destinations, event bodies, raw Meta payloads.
 */
describe('the event path v2 migration', () => {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `hub_mig_${randomBytes(6).toString('hex')}`;
  let url: string;
  let orm: MikroORM;

  beforeAll(async () => {
    await adminQuery(adminUrl, `create database ${name}`);
    url = databaseUrlFor(adminUrl, name);
    orm = await createOrm(url, { poolMax: 2 });
    await orm.migrator.up({ to: BEFORE });
    await seedPreviousSchema(orm);
    await migrate(orm, url);
  });
  afterAll(async () => {
    await orm?.close();
    await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  });

  const rows = <T extends object>(sql: string, params: unknown[] = []) =>
    query<T>(orm.em.fork(), sql, params);

  type DestinationRow = SealedOwner & {
    url: string | null;
    channel_id: string | null;
    event_types: string[] | null;
    secretSealed: string;
    previousSecretSealed: string | null;
    previousSecretExpiresAt: Date | null;
    headersSealed: string | null;
  };
  const destinations = async () =>
    (
      await rows<DestinationRow>(
        `select id, kind, partner_id as "partnerId", permission_id as "permissionId", url, channel_id, event_types,
                secret_sealed as "secretSealed", previous_secret_sealed as "previousSecretSealed",
                previous_secret_expires_at as "previousSecretExpiresAt", headers_sealed as "headersSealed"
           from webhook_destinations order by id`,
      )
    ).map((d) => ({
      ...d,
      previousSecretExpiresAt: d.previousSecretExpiresAt ? new Date(d.previousSecretExpiresAt) : null,
    }));

  it("makes every partner's webhook a primary destination that signs with the same secrets", async () => {
    const all = await destinations();
    const primary = all.find((d) => d.partnerId === 'par_one' && d.kind === 'partner_webhook')!;
    expect(primary).toMatchObject({ url: 'https://one.example/hooks', permissionId: null, channel_id: null });
    expect(signingSecrets(box, primary, new Date())).toEqual(['whsec_one_current', 'whsec_one_previous']);
    const other = all.find((d) => d.partnerId === 'par_two' && d.kind === 'partner_webhook')!;
    expect(other.url).toBeNull();
    expect(signingSecrets(box, other, new Date())).toEqual(['whsec_two_current']);
  });

  it("makes the current grant's channel webhook a destination, with the partner's secret and the grant's headers", async () => {
    const channel = (await destinations()).filter((d) => d.kind === 'channel_webhook');
    expect(channel).toHaveLength(1);
    expect(channel[0]).toMatchObject({
      partnerId: 'par_one',
      permissionId: 'prm_current',
      channel_id: 'chn_one',
      url: 'https://one.example/channel',
      // `waba.change` and `message.echo` join the list in later migrations (channel_meta_state,
      // coexistence_heartbeat), run here too.
      event_types: ['message.received', 'message.status', 'message.update', 'waba.change', 'message.echo'],
    });
    expect(signingSecrets(box, channel[0]!, new Date())).toEqual(['whsec_one_current', 'whsec_one_previous']);
    expect(extraHeaders(box, channel[0]!)).toEqual({ authorization: 'Bearer channel-token' });
  });

  it('keeps extra endpoints under their ids, with their own secrets', async () => {
    const endpoint = (await destinations()).find((d) => d.kind === 'endpoint')!;
    expect(endpoint).toMatchObject({
      id: 'wep_extra',
      url: 'https://one.example/extra',
      event_types: ['ping'],
    });
    expect(signingSecrets(box, endpoint, new Date())).toEqual(['whsec_extra']);
  });

  it('points deliveries at their destinations, and fails what has nowhere to go any more', async () => {
    const byId = new Map(
      (
        await rows<{ id: string; destination_id: string | null; kind: string; status: string }>(
          'select id, destination_id, kind, status from webhook_deliveries',
        )
      ).map((d) => [d.id, d]),
    );
    const channel = (await destinations()).find((d) => d.kind === 'channel_webhook')!;
    expect(byId.get('dlv_primary')).toMatchObject({ destination_id: 'wep_one', status: 'pending' });
    expect(byId.get('dlv_extra')).toMatchObject({ destination_id: 'wep_extra', status: 'succeeded' });
    expect(byId.get('dlv_channel')).toMatchObject({ destination_id: channel.id, status: 'pending' });
    expect(byId.get('dlv_revoked')).toMatchObject({ destination_id: null, status: 'failed' });
  });

  it('gives every event the body destinations receive', async () => {
    const bodies = new Map(
      (await rows<{ id: string; body: string }>('select id, body from webhook_events')).map((e) => [
        e.id,
        JSON.parse(e.body),
      ]),
    );
    expect(bodies.get('evt_lifecycle')).toEqual({
      type: 'partner.updated',
      timestamp: at.toISOString(),
      data: { partner_id: 'par_one', changed_fields: ['name'] },
    });
    expect(bodies.get('evt_message')).toEqual({
      object: 'whatsapp_business_account',
      entry: [{ id: 'waba_1', changes: [{ value: MESSAGE_VALUE, field: 'messages' }] }],
    });
  });

  it("keeps Meta's payloads as bytes, recognising a payload stored twice by its first copy", async () => {
    const stored = await rows<{ id: string; body: Buffer; body_sha256: Buffer | null }>(
      'select id, body, body_sha256 from meta_webhooks order by id',
    );
    expect(stored.map((m) => m.id)).toEqual(['mwh_1', 'mwh_2', 'mwh_3']);
    expect(JSON.parse(stored[0]!.body.toString('utf8'))).toEqual(META_PAYLOAD);
    const hash = createHash('sha256').update(stored[0]!.body).digest();
    expect(stored[0]!.body_sha256?.equals(hash)).toBe(true);
    expect(stored[1]!.body_sha256).toBeNull(); // Meta's retry of mwh_1
    expect(stored[2]!.body_sha256).not.toBeNull();
  });

  it('copies each event type onto its deliveries (list_indexes)', async () => {
    const copied = await rows<{ id: string; event_type: string; type: string }>(
      `select d.id, d.event_type, e.type from webhook_deliveries d join webhook_events e on e.id = d.event_id order by d.id`,
    );
    expect(copied.length).toBeGreaterThan(0);
    for (const d of copied) expect(d.event_type, d.id).toBe(d.type);
  });

  it('goes down to the previous schema with the settings back where they were, and up again', async () => {
    // Every later migration, event path v2 included, down to (not including) the previous schema.
    await orm.migrator.down({ to: BEFORE });
    const [partner] = await rows<{ webhook_url: string; webhook_secret_sealed: string }>(
      `select webhook_url, webhook_secret_sealed from partners where id = 'par_one'`,
    );
    expect(partner?.webhook_url).toBe('https://one.example/hooks');
    expect(box.decrypt(partner!.webhook_secret_sealed, 'partner:par_one:webhook_secret')).toBe(
      'whsec_one_current',
    );
    const [grant] = await rows<{ webhook_url: string }>(
      `select webhook_url from permissions where id = 'prm_current'`,
    );
    expect(grant?.webhook_url).toBe('https://one.example/channel');
    await orm.migrator.up();
    expect((await destinations()).map((d) => d.kind).sort()).toEqual([
      'channel_webhook',
      'endpoint',
      'partner_webhook',
      'partner_webhook',
    ]);
  });
});

const MESSAGE_VALUE = {
  messaging_product: 'whatsapp',
  metadata: { display_phone_number: '15550001111', phone_number_id: 'pn_1' },
  messages: [{ from: '4915112345678', id: 'wamid.1', type: 'text', text: { body: 'hi' } }],
};
const META_PAYLOAD = {
  object: 'whatsapp_business_account',
  entry: [{ id: 'waba_1', changes: [{ field: 'messages', value: MESSAGE_VALUE }] }],
};

/** Rows as the previous schema held them, sealed as the previous code sealed them. */
async function seedPreviousSchema(orm: MikroORM): Promise<void> {
  const em = orm.em.fork();
  const seal = (value: string, context: string) => box.encrypt(value, context);
  await em.transactional(async (tx) => {
    await query(
      tx,
      `insert into partners (id, name, webhook_url, allowed_redirect_urls, webhook_secret_sealed,
         previous_webhook_secret_sealed, previous_webhook_secret_expires_at, created_at, updated_at)
       values ('par_one', 'One', 'https://one.example/hooks', '[]', ?, ?, ?, ?, ?),
              ('par_two', 'Two', null, '[]', ?, null, null, ?, ?)`,
      [
        seal('whsec_one_current', 'partner:par_one:webhook_secret'),
        seal('whsec_one_previous', 'partner:par_one:previous_webhook_secret'),
        later,
        at,
        at,
        seal('whsec_two_current', 'partner:par_two:webhook_secret'),
        at,
        at,
      ],
    );
    await query(
      tx,
      `insert into clients (id, partner_id, status, created_at, updated_at) values ('cli_one', 'par_one', 'active', ?, ?)`,
      [at, at],
    );
    await query(
      tx,
      `insert into channels (id, client_id, phone_number, waba_id, phone_number_id, status, connection_type, created_at, updated_at)
       values ('chn_one', 'cli_one', '15550001111', 'waba_1', 'pn_1', 'live', 'cloud_api', ?, ?),
              ('chn_old', 'cli_one', '15550002222', 'waba_1', 'pn_2', 'live', 'cloud_api', ?, ?)`,
      [at, at, at, at],
    );
    await query(
      tx,
      `insert into permissions (id, partner_id, channel_id, client_id, granted_at, revoked_at, webhook_url, webhook_headers_sealed)
       values ('prm_current', 'par_one', 'chn_one', 'cli_one', ?, null, 'https://one.example/channel', ?),
              ('prm_revoked', 'par_one', 'chn_old', 'cli_one', ?, ?, 'https://one.example/old', null)`,
      [
        at,
        seal(
          JSON.stringify({ authorization: 'Bearer channel-token' }),
          'permission:prm_current:webhook_headers',
        ),
        at,
        at,
      ],
    );
    await query(
      tx,
      `insert into webhook_endpoints (id, partner_id, url, event_types, secret_sealed, created_at, updated_at)
       values ('wep_extra', 'par_one', 'https://one.example/extra', '["ping"]', ?, ?, ?)`,
      [seal('whsec_extra', 'webhook_endpoint:wep_extra:secret'), at, at],
    );
    await query(
      tx,
      `insert into webhook_events (id, partner_id, channel_id, type, data, created_at)
       values ('evt_lifecycle', 'par_one', null, 'partner.updated', ?, ?),
              ('evt_message', 'par_one', 'chn_one', 'message.received', ?, ?),
              ('evt_old', 'par_one', 'chn_old', 'message.received', ?, ?)`,
      [
        JSON.stringify({ partner_id: 'par_one', changed_fields: ['name'] }),
        at,
        JSON.stringify({
          phone_number_id: 'pn_1',
          waba_id: 'waba_1',
          field: 'messages',
          value: MESSAGE_VALUE,
        }),
        at,
        JSON.stringify({
          phone_number_id: 'pn_2',
          waba_id: 'waba_1',
          field: 'messages',
          value: MESSAGE_VALUE,
        }),
        at,
      ],
    );
    await query(
      tx,
      `insert into webhook_deliveries (id, event_id, partner_id, destination, endpoint_id, url, status, attempt_count,
         next_attempt_at, created_at, updated_at)
       values ('dlv_primary', 'evt_lifecycle', 'par_one', 'partner_webhook', null, 'https://one.example/hooks', 'pending', 1, ?, ?, ?),
              ('dlv_extra', 'evt_lifecycle', 'par_one', 'endpoint', 'wep_extra', 'https://one.example/extra', 'succeeded', 1, null, ?, ?),
              ('dlv_channel', 'evt_message', 'par_one', 'channel_webhook', null, 'https://one.example/channel', 'pending', 0, ?, ?, ?),
              ('dlv_revoked', 'evt_old', 'par_one', 'channel_webhook', null, 'https://one.example/old', 'pending', 0, ?, ?, ?)`,
      [at, at, at, at, at, at, at, at, at, at, at],
    );
    const payload = JSON.stringify(META_PAYLOAD);
    await query(
      tx,
      `insert into meta_webhooks (id, received_at, payload, routed_at)
       values ('mwh_1', ?, ?, ?), ('mwh_2', ?, ?, ?), ('mwh_3', ?, ?, ?)`,
      [
        at,
        payload,
        at,
        at,
        payload,
        at,
        at,
        JSON.stringify({ object: 'whatsapp_business_account', entry: [] }),
        at,
      ],
    );
  });
}
