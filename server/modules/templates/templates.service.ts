import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type {
  TemplateListQuery,
  TemplateRefreshResult,
  TemplateView,
} from '../../../shared/schemas/templates.ts';
import type { ChannelStatus } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { query, queryBound } from '../../db/sql.ts';
import { newId } from '../../ids.ts';
import type { GraphClient } from '../../meta/graph-client.ts';
import { GraphError } from '../../meta/graph-error.ts';
import type { MessageTemplate } from '../../meta/graph-types.ts';
import { decodeCursor, toPage } from '../../pagination.ts';
import { Channel } from '../channels/channel.entity.ts';
import { markTokenRefused } from '../messaging/messaging.service.ts';
import { SEALED, unseal } from '../secrets/sealed-columns.ts';
import { Template } from './template.entity.ts';
import { TemplateSync } from './template-sync.entity.ts';

export const REFRESH_TASK = 'refresh_templates';
/** A WABA's cache older than this is refreshed in the background when listed. */
export const STALE_AFTER_MS = 15 * 60_000;
/** After a failed refresh, the background refresh waits this long. */
export const RETRY_AFTER_MS = 5 * 60_000;
/** Pages of 100 read from Graph at most per refresh (Meta allows a WABA a few thousand templates). */
const MAX_PAGES = 100;
/** Channels whose token can read the WABA's templates. */
const TOKEN_STATUSES: ChannelStatus[] = ['connected', 'live', 'restricted'];

export interface TemplateDeps {
  graph: GraphClient;
  secretBox: SecretBox;
  clock: Clock;
}

interface HeldChannel {
  channel_id: string;
  waba_id: string;
}

/**
 * The channels the partner currently holds (a grant not revoked, the channel not deleted), with
 * their WABAs: what decides whose templates the partner sees. Nothing else does.
 */
async function heldChannels(
  em: EntityManager,
  partnerId: string,
  channelId?: string,
): Promise<Map<string, string[]>> {
  const rows = await query<HeldChannel>(
    em,
    `select c.id channel_id, c.waba_id from permissions p join channels c on c.id = p.channel_id
      where p.partner_id = ? and p.revoked_at is null and c.status <> 'deleted'
        and (?::text is null or c.id = ?::text)
      order by c.id`,
    [partnerId, channelId ?? null, channelId ?? null],
  );
  const byWaba = new Map<string, string[]>();
  for (const r of rows) byWaba.set(r.waba_id, [...(byWaba.get(r.waba_id) ?? []), r.channel_id]);
  return byWaba;
}

const likePrefix = (prefix: string) => `${prefix.replaceAll(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function toTemplateView(t: Template, channelIds: string[]): TemplateView {
  return {
    id: t.id,
    template_id: t.templateId,
    waba_id: t.wabaId,
    channel_ids: channelIds,
    name: t.name,
    language: t.language,
    status: t.status,
    category: t.category,
    components: t.components,
    quality_score: t.qualityScore ?? null,
    rejected_reason: t.rejectedReason ?? null,
    updated_at: t.updatedAt.toISOString(),
  };
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * The cached templates of every WABA the partner holds a channel of, newest first, with how fresh
 * each WABA's cache is. A WABA whose cache is stale (never synced, or older than 15 minutes) and
 * not backing off after a failure gets a background refresh.
 */
export async function listTemplatesOf(
  em: EntityManager,
  clock: Clock,
  partnerId: string,
  q: TemplateListQuery,
) {
  const before = decodeCursor(q.cursor, 'template');
  const held = await heldChannels(em, partnerId, q.channel_id);
  if (held.size === 0) return { templates: [], next_cursor: null, syncs: [] };
  const wabas = [...held.keys()];
  const where: FilterQuery<Template> = { wabaId: { $in: wabas } };
  const and: FilterQuery<Template>[] = [];
  if (q.name !== undefined) where.name = q.name;
  if (q.name_prefix !== undefined) and.push({ name: { $like: likePrefix(q.name_prefix) } });
  if (q.status !== undefined) where.status = q.status.toUpperCase();
  if (q.category !== undefined) where.category = q.category.toUpperCase();
  if (q.language !== undefined) where.language = q.language;
  if (before) and.push({ id: { $lt: before } });
  if (and.length > 0) where.$and = and;
  const rows = await em.find(Template, where, { orderBy: { id: 'desc' }, limit: q.limit + 1 });
  const page = toPage(rows, q.limit, (t) => t.id);

  const syncs = await em.find(TemplateSync, { wabaId: { $in: wabas } });
  const byWaba = new Map(syncs.map((s) => [s.wabaId, s]));
  const now = clock.now().getTime();
  const stale = wabas.filter((waba) => {
    const s = byWaba.get(waba);
    if (s?.nextAttemptAt && s.nextAttemptAt.getTime() > now) return false;
    return !s?.syncedAt || now - s.syncedAt.getTime() > STALE_AFTER_MS;
  });
  await enqueueRefresh(em, clock, stale);

  return {
    templates: page.items.map((t) => toTemplateView(t, held.get(t.wabaId) ?? [])),
    next_cursor: page.nextCursor,
    syncs: wabas.map((waba) => {
      const s = byWaba.get(waba);
      return {
        waba_id: waba,
        synced_at: iso(s?.syncedAt),
        last_error: s?.lastError ?? null,
        next_attempt_at: iso(s?.nextAttemptAt),
      };
    }),
  };
}

/** One background refresh per WABA: a job key per WABA replaces a refresh still waiting. */
export async function enqueueRefresh(em: EntityManager, clock: Clock, wabaIds: string[]): Promise<void> {
  if (wabaIds.length === 0) return;
  await query(
    em,
    `select 1 from graphile_worker.add_jobs(array(
       select r from json_populate_recordset(null::graphile_worker.job_spec, ?::json) r
     ), true)`,
    [
      JSON.stringify(
        wabaIds.map((waba) => ({
          identifier: REFRESH_TASK,
          payload: { waba_id: waba },
          job_key: `${REFRESH_TASK}:${waba}`,
          // The hub's clock, not the database's: jobs run on it (and tests move it).
          run_at: clock.now().toISOString(),
          // A failure is recorded and backs off by itself; the job is not retried.
          max_attempts: 1,
        })),
      ),
    ],
  );
}

/** Refreshes the cache of every WABA the partner holds a channel of (or of one channel's WABA), with its own channels' tokens. */
export async function refreshTemplatesOf(
  em: EntityManager,
  deps: TemplateDeps,
  partnerId: string,
  channelId?: string,
): Promise<TemplateRefreshResult> {
  const held = await heldChannels(em, partnerId, channelId);
  const results: TemplateRefreshResult['results'] = [];
  for (const [wabaId, channelIds] of held) {
    const outcome = await refreshWaba(em, deps, wabaId, channelIds);
    results.push({ waba_id: wabaId, channel_ids: channelIds, ...outcome });
  }
  return { results };
}

export interface RefreshOutcome {
  ok: boolean;
  templates: number | null;
  error: string | null;
  synced_at: string | null;
}

/**
 * Reads every template of the WABA from Graph (following `paging.next`) with the token of one of
 * `channelIds` (default: any channel of the WABA), then makes the cache match: new and changed
 * templates upserted, those Meta no longer lists removed. A failure is recorded on the WABA's
 * sync row (`last_error`), and the background refresh backs off 5 minutes.
 */
export async function refreshWaba(
  em: EntityManager,
  deps: TemplateDeps,
  wabaId: string,
  channelIds?: string[],
): Promise<RefreshOutcome> {
  const now = deps.clock.now();
  let templates: MessageTemplate[];
  try {
    templates = await fetchAll(em, deps, wabaId, channelIds);
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 500) || 'refresh failed';
    await query(
      em,
      `insert into template_syncs (waba_id, last_attempt_at, last_error, next_attempt_at) values (?, ?, ?, ?)
       on conflict (waba_id) do update set last_attempt_at = excluded.last_attempt_at,
         last_error = excluded.last_error, next_attempt_at = excluded.next_attempt_at`,
      [wabaId, now, message, new Date(now.getTime() + RETRY_AFTER_MS)],
    );
    return { ok: false, templates: null, error: message, synced_at: null };
  }
  const rows = templates.map((t) => ({
    id: newId('template'),
    template_id: t.id.slice(0, 64),
    name: t.name.slice(0, 512),
    language: t.language.slice(0, 16),
    status: t.status.toUpperCase().slice(0, 32),
    category: t.category.toUpperCase().slice(0, 32),
    components: t.components ?? [],
    quality_score: t.quality_score?.score?.slice(0, 32) ?? null,
    rejected_reason:
      t.rejected_reason && t.rejected_reason !== 'NONE' ? t.rejected_reason.slice(0, 200) : null,
  }));
  await em.transactional(async (tx) => {
    await queryBound(
      tx,
      `insert into templates (id, waba_id, template_id, name, language, status, category, components,
                              quality_score, rejected_reason, created_at, updated_at)
       select x.id, $1, x.template_id, x.name, x.language, x.status, x.category, x.components,
              x.quality_score, x.rejected_reason, $2, $2
         from json_to_recordset($3::json) as x(id text, template_id text, name text, language text, status text,
              category text, components jsonb, quality_score text, rejected_reason text)
       on conflict (waba_id, template_id) do update set name = excluded.name, language = excluded.language,
         status = excluded.status, category = excluded.category, components = excluded.components,
         quality_score = excluded.quality_score, rejected_reason = excluded.rejected_reason,
         updated_at = excluded.updated_at
       where (templates.name, templates.language, templates.status, templates.category, templates.components::jsonb,
              templates.quality_score, templates.rejected_reason)
         is distinct from (excluded.name, excluded.language, excluded.status, excluded.category,
              excluded.components::jsonb, excluded.quality_score, excluded.rejected_reason)`,
      [wabaId, now, JSON.stringify(rows)],
    );
    await queryBound(
      tx,
      `delete from templates where waba_id = $1
          and template_id not in (select json_array_elements_text($2::json))`,
      [wabaId, JSON.stringify(rows.map((r) => r.template_id))],
    );
    await query(
      tx,
      `insert into template_syncs (waba_id, synced_at, last_attempt_at, last_error, next_attempt_at)
       values (?, ?, ?, null, null)
       on conflict (waba_id) do update set synced_at = excluded.synced_at,
         last_attempt_at = excluded.last_attempt_at, last_error = null, next_attempt_at = null`,
      [wabaId, now, now],
    );
  });
  return { ok: true, templates: rows.length, error: null, synced_at: now.toISOString() };
}

/** Every page Graph lists for the WABA. Throws when no channel holds a usable token, or Graph fails. */
async function fetchAll(
  em: EntityManager,
  deps: TemplateDeps,
  wabaId: string,
  channelIds: string[] | undefined,
): Promise<MessageTemplate[]> {
  const where: FilterQuery<Channel> = {
    wabaId,
    status: { $in: TOKEN_STATUSES },
    metaTokenSealed: { $ne: null },
  };
  if (channelIds) where.id = { $in: channelIds };
  const channels = await em.find(Channel, where, {
    orderBy: { metaTokenInvalidAt: 'asc nulls first', updatedAt: 'desc' },
    limit: 1,
  });
  const channel = channels[0];
  if (!channel?.metaTokenSealed)
    throw new Error('no channel of this WABA holds a Meta token the hub can use');
  const token = unseal(deps.secretBox, SEALED.channelMetaToken, channel.id, channel.metaTokenSealed);
  const all: MessageTemplate[] = [];
  let after: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await deps.graph.listTemplates(wabaId, token, { limit: 100, after });
      all.push(...res.data);
      const next = res.paging?.next ? res.paging.cursors?.after : undefined;
      if (!next || next === after) return all;
      after = next;
    }
  } catch (err) {
    if (err instanceof GraphError && err.isTokenInvalid) await markTokenRefused(em, deps.clock, channel.id);
    throw err;
  }
  throw new Error(`Graph listed more than ${MAX_PAGES} pages of templates`);
}
