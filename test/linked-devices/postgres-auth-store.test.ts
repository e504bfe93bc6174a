import { describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError } from '../../server/crypto/secret-box.ts';
import { query, run } from '../../server/db/sql.ts';
import { PostgresDeviceAuthStore } from '../../server/linked-devices/postgres-auth-store.ts';
import { reencryptAll } from '../../server/modules/secrets/reencrypt.service.ts';
import { TEST_HUB_SECRET, useTestHub } from '../support/hub.ts';

const NEW_SECRET = 'rotated-hub-secret-rotated-hub-secret-0003';

describe('the PostgreSQL DeviceAuthStore', () => {
  const hub = useTestHub();
  const storeFor = (sessionId: string, secretBox = hub.deps.secretBox) =>
    new PostgresDeviceAuthStore({ em: () => hub.em(), secretBox }, sessionId);
  const rowsOf = (sessionId: string) =>
    query<{ category: string; key_id: string; value_sealed: string }>(
      hub.em(),
      'select category, key_id, value_sealed from linked_device_auth where session_id = ? order by category, key_id',
      [sessionId],
    );

  it('reads back what it wrote, only the ids asked for, and deletes on null', async () => {
    const store = storeFor('lds_round_trip');
    await store.write([
      { category: 'pre-key', id: '1', value: '{"public":"a"}' },
      { category: 'pre-key', id: '2', value: '{"public":"b"}' },
      { category: 'session', id: '447700900123.0', value: 'señal ✓' },
    ]);
    expect(await store.read('pre-key', ['1', '2', '3'])).toEqual(
      new Map([
        ['1', '{"public":"a"}'],
        ['2', '{"public":"b"}'],
      ]),
    );
    expect(await store.read('session', ['447700900123.0'])).toEqual(new Map([['447700900123.0', 'señal ✓']]));
    expect(await store.read('pre-key', [])).toEqual(new Map());

    await store.write([
      { category: 'pre-key', id: '1', value: null },
      { category: 'pre-key', id: '2', value: '{"public":"b2"}' },
    ]);
    expect(await store.read('pre-key', ['1', '2'])).toEqual(new Map([['2', '{"public":"b2"}']]));
  });

  it('clears one session and leaves the others', async () => {
    const [mine, theirs] = [storeFor('lds_clear_mine'), storeFor('lds_clear_theirs')];
    await mine.write([{ category: 'creds', id: 'creds', value: 'mine' }]);
    await theirs.write([{ category: 'creds', id: 'creds', value: 'theirs' }]);
    await mine.clear();
    expect(await rowsOf('lds_clear_mine')).toEqual([]);
    expect(await theirs.read('creds', ['creds'])).toEqual(new Map([['creds', 'theirs']]));
  });

  it('stores sealed values, bound to their session, category and key id', async () => {
    const store = storeFor('lds_sealed');
    await store.write([
      { category: 'pre-key', id: '1', value: 'plaintext-private-key-1' },
      { category: 'pre-key', id: '2', value: 'plaintext-private-key-2' },
    ]);
    const rows = await rowsOf('lds_sealed');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.value_sealed).toMatch(new RegExp(`^v1\\.${hub.deps.secretBox.currentKeyId}\\.`));
      expect(row.value_sealed).not.toContain('plaintext');
    }
    // A ciphertext copied onto another key does not open as that key.
    await run(
      hub.em(),
      `update linked_device_auth set value_sealed = ? where session_id = ? and key_id = '2'`,
      [rows[0]!.value_sealed, 'lds_sealed'],
    );
    await expect(store.read('pre-key', ['2'])).rejects.toThrow(SecretBoxError);
    await store.clear(); // the tampered row would stop the re-encryption below
  });

  it('writes the entries of one call in one transaction: all or none', async () => {
    const store = storeFor('lds_atomic');
    await store.write([{ category: 'session', id: 'a', value: 'kept' }]);
    // The delete runs first; PostgreSQL then refuses the NUL in the second key id: both roll back.
    const failing = store.write([
      { category: 'session', id: 'a', value: null },
      { category: 'session', id: 'b', value: 'new' },
      { category: 'session', id: 'bad\u0000id', value: 'refused' },
    ]);
    await expect(failing).rejects.toThrow();
    expect((await rowsOf('lds_atomic')).map((r) => r.key_id)).toEqual(['a']);
    expect(await store.read('session', ['a'])).toEqual(new Map([['a', 'kept']]));
  });

  it('is re-encrypted by `secrets reencrypt`, across pages of its composite key', async () => {
    // More rows than one re-encryption batch (500), over two sessions, to page on (session, category, key).
    const entries = Array.from({ length: 260 }, (_, i) => ({
      category: 'pre-key',
      id: String(i),
      value: `key-${i}`,
    }));
    await storeFor('lds_rotate_a').write(entries);
    await storeFor('lds_rotate_b').write(entries);
    const rotated = new SecretBox([NEW_SECRET, TEST_HUB_SECRET]);
    const report = await reencryptAll(hub.em(), rotated);
    const counted = report.columns.find((c) => c.table === 'linked_device_auth');
    expect(counted?.reencrypted).toBeGreaterThanOrEqual(520);

    const newKeyOnly = new SecretBox([NEW_SECRET]);
    for (const session of ['lds_rotate_a', 'lds_rotate_b']) {
      const read = await storeFor(session, newKeyOnly).read('pre-key', ['0', '259']);
      expect(read).toEqual(
        new Map([
          ['0', 'key-0'],
          ['259', 'key-259'],
        ]),
      );
      const stale = await query(
        hub.em(),
        `select 1 from linked_device_auth where session_id = ? and split_part(value_sealed, '.', 2) <> ?`,
        [session, newKeyOnly.currentKeyId],
      );
      expect(stale).toEqual([]);
    }
    expect((await reencryptAll(hub.em(), rotated)).total).toBe(0);
  });
});
