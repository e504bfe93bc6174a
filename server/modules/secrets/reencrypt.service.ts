import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { query } from '../../db/sql.ts';
import { SEALED_COLUMNS, seal, unseal } from './sealed-columns.ts';

export interface ReencryptReport {
  keyId: string;
  columns: { table: string; column: string; reencrypted: number }[];
  total: number;
}

const BATCH = 500;

/**
 * Re-seals every secret that is not under the current key (HUB_SECRET), after a rotation
 * that left the old secret in HUB_SECRET_PREVIOUS. Each value is decrypted with its own
 * row-bound context and written back only if nobody changed it meanwhile, so it is safe to run
 * while the hub serves traffic, and to run again (it resumes where it stopped).
 */
export async function reencryptAll(
  em: EntityManager,
  box: SecretBox,
  options: { dryRun?: boolean } = {},
): Promise<ReencryptReport> {
  const report: ReencryptReport = { keyId: box.currentKeyId, columns: [], total: 0 };
  for (const sealed of SEALED_COLUMNS) {
    const { table, column, jsonKey, contextColumns } = sealed;
    // The ciphertext is the column itself, or one key of a JSON column.
    const value = (alias: string) =>
      jsonKey ? `${alias}"${column}" ->> '${jsonKey}'` : `${alias}"${column}"`;
    const stored = jsonKey ? `jsonb_build_object('${jsonKey}', v.value)` : 'v.value';
    let count = 0;
    let after = '';
    const extra = contextColumns.map((c) => `, "${c}"`).join('');
    for (;;) {
      const rows = await query<{ id: string; value: string } & Record<string, string | null>>(
        em,
        `select id, ${value('')} as value${extra} from "${table}"
          where ${value('')} is not null and split_part(${value('')}, '.', 2) <> ? and id > ?
          order by id limit ?`,
        [box.currentKeyId, after, BATCH],
      );
      if (rows.length === 0) break;
      after = rows.at(-1)!.id;
      if (options.dryRun) {
        count += rows.length;
        continue;
      }
      const updates = rows.map((r) => {
        const owner = sealed.ownerOfRow(r);
        return {
          id: r.id,
          old: r.value,
          value: seal(box, sealed, owner, unseal(box, sealed, owner, r.value)),
        };
      });
      const updated = await query<{ id: string }>(
        em,
        `update "${table}" t set "${column}" = ${stored}
           from json_to_recordset(?::json) as v(id text, old text, value text)
          where t.id = v.id and ${value('t.')} = v.old
          returning t.id`,
        [JSON.stringify(updates)],
      );
      count += updated.length;
    }
    report.columns.push({ table, column, reencrypted: count });
    report.total += count;
  }
  return report;
}
