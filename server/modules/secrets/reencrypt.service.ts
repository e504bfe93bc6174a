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

type Row = { value: string } & Record<string, string | null>;

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
    const { table, column, jsonKey, keyColumns, contextColumns } = sealed;
    // The ciphertext is the column itself, or one key of a JSON column.
    const value = (alias: string) =>
      jsonKey ? `${alias}"${column}" ->> '${jsonKey}'` : `${alias}"${column}"`;
    const stored = jsonKey ? `jsonb_build_object('${jsonKey}', v.value)` : 'v.value';
    // Keyset pagination over the primary key, composite or not: `(k1, k2) > (?, ?)`.
    const key = keyColumns.map((c) => `"${c}"`).join(', ');
    const extra = contextColumns.map((c) => `, "${c}"`).join('');
    let count = 0;
    let after: (string | null)[] | undefined;
    for (;;) {
      const page = after ? `and (${key}) > (${keyColumns.map(() => '?').join(', ')})` : '';
      const rows = await query<Row>(
        em,
        `select ${key}, ${value('')} as value${extra} from "${table}"
          where ${value('')} is not null and split_part(${value('')}, '.', 2) <> ? ${page}
          order by ${key} limit ?`,
        [box.currentKeyId, ...(after ?? []), BATCH],
      );
      if (rows.length === 0) break;
      const last = rows.at(-1)!;
      after = keyColumns.map((c) => last[c] ?? null);
      if (options.dryRun) {
        count += rows.length;
        continue;
      }
      const updates = rows.map((r) => {
        const owner = sealed.ownerOfRow(r);
        const keys = Object.fromEntries(keyColumns.map((c) => [c, r[c]]));
        return {
          ...keys,
          old: r.value,
          value: seal(box, sealed, owner, unseal(box, sealed, owner, r.value)),
        };
      });
      const updated = await query(
        em,
        `update "${table}" t set "${column}" = ${stored}
           from json_to_recordset(?::json) as v(${keyColumns.map((c) => `"${c}" text`).join(', ')}, old text, value text)
          where ${keyColumns.map((c) => `t."${c}" = v."${c}"`).join(' and ')} and ${value('t.')} = v.old
          returning 1`,
        [JSON.stringify(updates)],
      );
      count += updated.length;
    }
    report.columns.push({ table, column, reencrypted: count });
    report.total += count;
  }
  return report;
}
