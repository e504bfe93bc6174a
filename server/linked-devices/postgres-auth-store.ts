import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../crypto/secret-box.ts';
import { query, run } from '../db/sql.ts';
import { SEALED, seal, unseal } from '../modules/secrets/sealed-columns.ts';
import type { DeviceAuthStore } from './connector.ts';

export interface PostgresAuthStoreDeps {
  /** A fresh EntityManager per call (`() => orm.em.fork()`): the store outlives any request. */
  em(): EntityManager;
  secretBox: SecretBox;
}

/**
 * A linked device's `DeviceAuthStore` in `linked_device_auth`, every value sealed with the hub's
 * SecretBox and bound to its (session, category, key id): another process (or the next run) picks
 * the connection up from here, and a database dump alone does not give the session away.
 */
export class PostgresDeviceAuthStore implements DeviceAuthStore {
  readonly #deps: PostgresAuthStoreDeps;
  readonly #sessionId: string;

  constructor(deps: PostgresAuthStoreDeps, sessionId: string) {
    this.#deps = deps;
    this.#sessionId = sessionId;
  }

  /** One statement for the whole batch: Baileys asks for many keys at once while decrypting. */
  async read(category: string, ids: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (ids.length === 0) return found;
    const rows = await query<{ key_id: string; value_sealed: string }>(
      this.#deps.em(),
      `select key_id, value_sealed from linked_device_auth
        where session_id = ? and category = ? and key_id in (select jsonb_array_elements_text(?::jsonb))`,
      [this.#sessionId, category, JSON.stringify(ids)],
    );
    for (const row of rows) {
      const owner = { sessionId: this.#sessionId, category, keyId: row.key_id };
      found.set(
        row.key_id,
        unseal(this.#deps.secretBox, SEALED.linkedDeviceAuthValue, owner, row.value_sealed),
      );
    }
    return found;
  }

  /** Upserts and deletes of one call commit together: a half-written key exchange is worse than none. */
  async write(entries: readonly { category: string; id: string; value: string | null }[]): Promise<void> {
    if (entries.length === 0) return;
    // The last entry for a key wins, as if they were applied in order.
    const latest = new Map(entries.map((e) => [JSON.stringify([e.category, e.id]), e]));
    const upserts: { category: string; key_id: string; value_sealed: string }[] = [];
    const deletes: { category: string; key_id: string }[] = [];
    for (const { category, id, value } of latest.values()) {
      if (value === null) {
        deletes.push({ category, key_id: id });
        continue;
      }
      const owner = { sessionId: this.#sessionId, category, keyId: id };
      const sealed = seal(this.#deps.secretBox, SEALED.linkedDeviceAuthValue, owner, value);
      upserts.push({ category, key_id: id, value_sealed: sealed });
    }
    await this.#deps.em().transactional(async (tx) => {
      if (deletes.length > 0) {
        await run(
          tx,
          `delete from linked_device_auth t using json_to_recordset(?::json) as v(category text, key_id text)
            where t.session_id = ? and t.category = v.category and t.key_id = v.key_id`,
          [JSON.stringify(deletes), this.#sessionId],
        );
      }
      if (upserts.length > 0) {
        await run(
          tx,
          `insert into linked_device_auth (session_id, category, key_id, value_sealed, updated_at)
           select ?, v.category, v.key_id, v.value_sealed, now()
             from json_to_recordset(?::json) as v(category text, key_id text, value_sealed text)
           on conflict (session_id, category, key_id)
           do update set value_sealed = excluded.value_sealed, updated_at = excluded.updated_at`,
          [this.#sessionId, JSON.stringify(upserts)],
        );
      }
    });
  }

  async clear(): Promise<void> {
    await run(this.#deps.em(), 'delete from linked_device_auth where session_id = ?', [this.#sessionId]);
  }
}
