import type { Query } from './db.ts';

export interface Template {
  id: string;
  name: string;
  language: string;
  category: string;
  status: string;
  rejected_reason: string | null;
  components: unknown[];
}

const COLUMNS = 'id, name, language, category, status, rejected_reason, components';

export async function createTemplate(
  q: Query,
  wabaId: string,
  t: Omit<Template, 'rejected_reason'>,
  now: Date,
): Promise<boolean> {
  const rows = await q(
    `insert into sandbox.message_templates (id, waba_id, name, language, category, status, components, created_at)
     values (?, ?, ?, ?, ?, ?, ?::jsonb, ?) on conflict (waba_id, name, language) do nothing returning id`,
    [t.id, wabaId, t.name, t.language, t.category, t.status, JSON.stringify(t.components), now],
  );
  return rows.length > 0;
}

export interface TemplateFilter {
  name?: string | undefined;
  status?: string | undefined;
  category?: string | undefined;
  language?: string | undefined;
}

/**
 * The WABA's templates, by name then language; `name` matches a part of the name, as Meta's
 * filter does. `after` is the (name, language) the previous page ended with.
 */
export function listTemplates(
  q: Query,
  wabaId: string,
  f: TemplateFilter,
  limit: number,
  after?: { name: string; language: string },
): Promise<Template[]> {
  return q<Template>(
    `select ${COLUMNS} from sandbox.message_templates
      where waba_id = ? and (?::text is null or strpos(name, ?::text) > 0) and (?::text is null or status = ?::text)
        and (?::text is null or category = ?::text) and (?::text is null or language = ?::text)
        and (?::text is null or (name, language) > (?::text, ?::text))
      order by name, language limit ?`,
    [
      wabaId,
      f.name ?? null,
      f.name ?? null,
      f.status ?? null,
      f.status ?? null,
      f.category ?? null,
      f.category ?? null,
      f.language ?? null,
      f.language ?? null,
      after?.name ?? null,
      after?.name ?? null,
      after?.language ?? null,
      limit,
    ],
  );
}

/** Deletes every language of a template name; how many there were. */
export async function deleteTemplates(q: Query, wabaId: string, name: string): Promise<number> {
  const rows = await q('delete from sandbox.message_templates where waba_id = ? and name = ? returning id', [
    wabaId,
    name,
  ]);
  return rows.length;
}

/** Meta's review: the template's new status (and why it was rejected). */
export async function reviewTemplate(
  q: Query,
  id: string,
  status: string,
  reason: string | null,
): Promise<(Template & { waba_id: string }) | undefined> {
  const rows = await q<Template & { waba_id: string }>(
    `update sandbox.message_templates set status = ?, rejected_reason = ? where id = ?
     returning ${COLUMNS}, waba_id`,
    [status, reason, id],
  );
  return rows[0];
}
