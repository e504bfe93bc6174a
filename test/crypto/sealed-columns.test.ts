import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { SecretBox } from '../../server/crypto/secret-box.ts';
import { query } from '../../server/db/sql.ts';
import { reencryptAll } from '../../server/modules/secrets/reencrypt.service.ts';
import { SEALED_COLUMNS } from '../../server/modules/secrets/sealed-columns.ts';
import { TEST_HUB_SECRET, useTestHub } from '../support/hub.ts';
import { bearer, partnerWithChannel } from '../support/scenarios.ts';

const NEW_SECRET = 'rotated-hub-secret-rotated-hub-secret-0002';

describe('the sealed-column registry', () => {
  const hub = useTestHub();

  it('lists every sealed column of the schema, and only columns that exist', async () => {
    const columns = await query<{ table_name: string; column_name: string }>(
      hub.em(),
      `select table_name, column_name from information_schema.columns
        where table_schema = 'public' and column_name like '%\\_sealed'`,
    );
    const registered = SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`);
    for (const c of columns) expect(registered).toContain(`${c.table_name}.${c.column_name}`);
    for (const c of SEALED_COLUMNS) {
      const found = await query(
        hub.em(),
        `select 1 from information_schema.columns where table_schema = 'public' and table_name = ? and column_name = ?`,
        [c.table, c.column],
      );
      expect(found, `${c.table}.${c.column}`).toHaveLength(1);
    }
    expect(registered).toContain('idempotency_keys.response_body');
  });

  it('keeps an idempotent replay working through a rotation: reencrypt, then drop the previous key', async () => {
    const { partner, token, channel } = await partnerWithChannel(hub);
    const path = `/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`;
    const post = (app: typeof hub.app) =>
      request(app).post(path).set(bearer(token)).set('Idempotency-Key', 'rotate-replay').send({});
    const first = await post(hub.app);
    expect(first.status).toBe(201);

    // HUB_SECRET rotated, the old one in HUB_SECRET_PREVIOUS: `secrets reencrypt` runs.
    const rotated = new SecretBox([NEW_SECRET, TEST_HUB_SECRET]);
    const report = await reencryptAll(hub.em(), rotated);
    expect(report.columns).toContainEqual({
      table: 'idempotency_keys',
      column: 'response_body',
      reencrypted: 1,
    });
    const [row] = await query<{ body: string }>(
      hub.em(),
      'select response_body::text as body from idempotency_keys where key = ?',
      ['rotate-replay'],
    );
    expect(row?.body).toMatch(new RegExp(`^\\{"sealed": "v1\\.${rotated.currentKeyId}\\.`));

    // HUB_SECRET_PREVIOUS dropped within the 24 h the key lives: the replay still answers.
    const newKeyOnly = createApp({ ...hub.deps, secretBox: new SecretBox([NEW_SECRET]) });
    const replay = await post(newKeyOnly);
    expect([replay.status, replay.body]).toEqual([201, first.body]);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((await reencryptAll(hub.em(), rotated)).total).toBe(0);
  });
});
