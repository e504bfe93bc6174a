import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPartnerHubClient } from '../../client/src/index.ts';
import { query } from '../../server/db/sql.ts';
import type { Channel } from '../../server/modules/channels/channel.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { TemplateSync } from '../../server/modules/templates/template-sync.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';

interface TemplateItem {
  id: string;
  template_id: string;
  waba_id: string;
  channel_ids: string[];
  name: string;
  language: string;
  status: string;
  category: string;
  rejected_reason: string | null;
}

const BODY = [{ type: 'BODY', text: 'Hello {{1}}' }];

describe('partner-level templates: a cache over every WABA the partner holds a channel of', () => {
  const hub = useTestHub(
    { RATE_LIMIT_READ_PER_MINUTE: '100000', RATE_LIMIT_WRITE_PER_MINUTE: '100000' },
    { listen: true },
  );

  interface Holder {
    partner: Partner;
    token: string;
    channels: Channel[];
    keys: string[];
  }

  async function holder(name: string, channels: number): Promise<Holder> {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps, name);
    const held: Holder = { partner, token, channels: [], keys: [] };
    for (let i = 0; i < channels; i++) {
      const { channel } = await onboardSandboxChannel(hub, partner);
      const key = await request(hub.app)
        .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
        .set(bearer(token));
      held.channels.push(channel);
      held.keys.push(key.body.api_key);
    }
    return held;
  }

  /** Creates a template on the channel's WABA through the messaging API (Graph keeps it PENDING). */
  async function createTemplate(key: string, t: { name: string; language?: string; category?: string }) {
    const res = await request(hub.app)
      .post('/waba/v1/configs/templates')
      .set('D360-API-KEY', key)
      .send({ language: 'en_US', category: 'UTILITY', components: BODY, ...t });
    expect(res.status).toBe(200);
    return res.body.id as string;
  }

  const review = (id: string, body: object) =>
    fetch(`${hub.url}/sandbox/control/templates/${id}/review`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`,
      },
      body: JSON.stringify(body),
    });

  const list = (h: Holder, q: Record<string, string | number> = {}) =>
    request(hub.app).get(`/api/v2/partners/${h.partner.id}/templates`).query(q).set(bearer(h.token));
  const names = (res: { body: { templates: TemplateItem[] } }) =>
    res.body.templates.map((t) => `${t.name}/${t.language}`).sort();

  let a: Holder;
  let b: Holder;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    a = await holder('Templates A', 2);
    b = await holder('Templates B', 1);
    // Two WABAs of A: three templates on the first, two on the second; B has one of its own.
    ids.welcome = await createTemplate(a.keys[0]!, { name: 'welcome' });
    ids.welcome_es = await createTemplate(a.keys[0]!, { name: 'welcome', language: 'es_ES' });
    ids.promo = await createTemplate(a.keys[0]!, { name: 'promo_spring', category: 'MARKETING' });
    ids.order = await createTemplate(a.keys[1]!, { name: 'order_update' });
    ids.otp = await createTemplate(a.keys[1]!, { name: 'otp_code', category: 'AUTHENTICATION' });
    ids.b_secret = await createTemplate(b.keys[0]!, { name: 'welcome_b' });
    await review(ids.welcome_es!, { status: 'APPROVED' });
  });

  it('lists nothing until the cache is filled: the list itself starts a background refresh of stale WABAs', async () => {
    const first = await list(a);
    expect(first.status).toBe(200);
    expect(first.body.templates).toEqual([]);
    expect(first.body.syncs).toHaveLength(2);
    for (const s of first.body.syncs) expect(s).toMatchObject({ synced_at: null, last_error: null });
    await hub.drainJobs();

    const filled = await list(a);
    expect(names(filled)).toEqual([
      'order_update/en_US',
      'otp_code/en_US',
      'promo_spring/en_US',
      'welcome/en_US',
      'welcome/es_ES',
    ]);
    for (const s of filled.body.syncs) expect(s.synced_at).toEqual(expect.any(String));
    const byName = new Map<string, TemplateItem>(
      filled.body.templates.map((t: TemplateItem) => [`${t.name}/${t.language}`, t]),
    );
    expect(byName.get('welcome/en_US')).toMatchObject({
      template_id: ids.welcome,
      waba_id: a.channels[0]!.wabaId,
      channel_ids: [a.channels[0]!.id],
      status: 'PENDING',
      category: 'UTILITY',
      components: BODY,
    });
    expect(byName.get('welcome/es_ES')!.status).toBe('APPROVED');
    expect(byName.get('order_update/en_US')).toMatchObject({
      waba_id: a.channels[1]!.wabaId,
      channel_ids: [a.channels[1]!.id],
    });
    expect(a.channels[0]!.wabaId).not.toBe(a.channels[1]!.wabaId);
  });

  it("never shows another partner's WABAs, whatever the filter", async () => {
    await request(hub.app)
      .post(`/api/v2/partners/${b.partner.id}/templates/refresh`)
      .set(bearer(b.token))
      .send({});
    const own = await list(b);
    expect(names(own)).toEqual(['welcome_b/en_US']);
    expect(own.body.syncs.map((s: { waba_id: string }) => s.waba_id)).toEqual([b.channels[0]!.wabaId]);
    // A's channel as a filter: nothing (B holds no such channel).
    expect((await list(b, { channel_id: a.channels[0]!.id })).body).toEqual({
      templates: [],
      next_cursor: null,
      syncs: [],
    });
    // A refresh naming A's channel refreshes nothing.
    const refresh = await request(hub.app)
      .post(`/api/v2/partners/${b.partner.id}/templates/refresh`)
      .set(bearer(b.token))
      .send({ channel_id: a.channels[0]!.id });
    expect(refresh.body).toEqual({ results: [] });
    // Another partner's path is refused outright.
    expect(
      (await request(hub.app).get(`/api/v2/partners/${a.partner.id}/templates`).set(bearer(b.token))).status,
    ).toBe(403);
    expect(names(await list(a))).not.toContain('welcome_b/en_US');
  });

  it('filters by name, name prefix, status, category, language and channel', async () => {
    expect(names(await list(a, { name: 'welcome' }))).toEqual(['welcome/en_US', 'welcome/es_ES']);
    expect(names(await list(a, { name: 'welcom' }))).toEqual([]);
    expect(names(await list(a, { name_prefix: 'o' }))).toEqual(['order_update/en_US', 'otp_code/en_US']);
    // `_` is no wildcard.
    expect(names(await list(a, { name_prefix: 'promo_' }))).toEqual(['promo_spring/en_US']);
    expect(names(await list(a, { name_prefix: 'promo_x' }))).toEqual([]);
    expect(names(await list(a, { status: 'approved' }))).toEqual(['welcome/es_ES']);
    expect(names(await list(a, { category: 'MARKETING' }))).toEqual(['promo_spring/en_US']);
    expect(names(await list(a, { language: 'es_ES' }))).toEqual(['welcome/es_ES']);
    expect(names(await list(a, { channel_id: a.channels[1]!.id }))).toEqual([
      'order_update/en_US',
      'otp_code/en_US',
    ]);
    expect(names(await list(a, { status: 'PENDING', category: 'UTILITY', name_prefix: 'welcome' }))).toEqual([
      'welcome/en_US',
    ]);
    expect((await list(a, { status: 'not valid!' })).status).toBe(400);
    expect((await list(a, { name: 'Upper' })).status).toBe(400);
    expect((await list(a, { colour: 'red' })).status).toBe(400);
    expect((await list(a, { cursor: 'bm90LWFuLWlk' })).status).toBe(400);
  });

  it('pages with a cursor, newest first, each template once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(a, cursor ? { limit: 2, cursor } : { limit: 2 });
      expect(res.status).toBe(200);
      expect(res.body.templates.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.templates.map((t: TemplateItem) => t.id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    expect(seen).toEqual([...seen].sort().reverse());
  });

  it('a review in the sandbox (Meta’s status webhook) changes the cached status at once', async () => {
    expect((await review(ids.promo!, { status: 'REJECTED', reason: 'TAG_CONTENT_MISMATCH' })).status).toBe(
      200,
    );
    expect((await review(ids.welcome!, { status: 'APPROVED' })).status).toBe(200);
    const promo = (await list(a, { name: 'promo_spring' })).body.templates[0];
    expect(promo).toMatchObject({ status: 'REJECTED', rejected_reason: 'TAG_CONTENT_MISMATCH' });
    expect(names(await list(a, { status: 'APPROVED' }))).toEqual(['welcome/en_US', 'welcome/es_ES']);
    // Straight from the webhook: no refresh was asked for, and none is due.
    const jobs = await query<{ n: number }>(
      hub.em(),
      `select count(*)::int n from graphile_worker.jobs where task_identifier = 'refresh_templates'`,
    );
    expect(jobs[0]!.n).toBe(0);
  });

  it('refreshes over REST, tRPC and the SDK, with per-WABA results; deleted templates leave the cache', async () => {
    await request(hub.app).delete('/waba/v1/configs/templates/otp_code').set('D360-API-KEY', a.keys[1]!);
    const rest = await request(hub.app)
      .post(`/api/v2/partners/${a.partner.id}/templates/refresh`)
      .set(bearer(a.token))
      .send({});
    expect(rest.status).toBe(200);
    const byWaba = <T extends { waba_id: string }>(results: T[]) =>
      [...results].sort((x, y) => (x.waba_id < y.waba_id ? -1 : 1));
    expect(byWaba(rest.body.results)).toEqual(
      byWaba([
        {
          waba_id: a.channels[0]!.wabaId,
          channel_ids: [a.channels[0]!.id],
          ok: true,
          templates: 3,
          error: null,
          synced_at: expect.any(String),
        },
        {
          waba_id: a.channels[1]!.wabaId,
          channel_ids: [a.channels[1]!.id],
          ok: true,
          templates: 1,
          error: null,
          synced_at: expect.any(String),
        },
      ]),
    );
    expect(names(await list(a, { channel_id: a.channels[1]!.id }))).toEqual(['order_update/en_US']);

    const sdk = createPartnerHubClient({ baseUrl: hub.url, token: a.token });
    const viaTrpc = await sdk.trpc.templates.refresh.mutate({ channel_id: a.channels[0]!.id });
    expect(viaTrpc.results).toEqual([
      expect.objectContaining({ waba_id: a.channels[0]!.wabaId, ok: true, templates: 3 }),
    ]);
    const viaRest = await sdk.rest.templates.refresh({ channel_id: a.channels[1]!.id });
    expect(viaRest.results).toEqual([
      expect.objectContaining({ waba_id: a.channels[1]!.wabaId, ok: true, templates: 1 }),
    ]);
    const generated = await sdk.rest.api.templates.list({ name_prefix: 'welcome', limit: 1 });
    expect(generated.templates).toHaveLength(1);
    expect(generated.next_cursor).toEqual(expect.any(String));
    const named = await sdk.rest.templates.list({ cursor: generated.next_cursor!, name_prefix: 'welcome' });
    expect(named.templates).toHaveLength(1);
    const trpcList = await sdk.trpc.templates.list.query({ category: 'UTILITY' });
    expect(trpcList.templates.map((t) => t.name).sort()).toEqual(['order_update', 'welcome', 'welcome']);
  });

  it('follows Graph’s paging beyond one page (the sandbox pages with limit and after)', async () => {
    const c = await holder('Templates C', 1);
    const waba = c.channels[0]!.wabaId;
    const base = Date.now();
    const rows = Array.from({ length: 230 }, (_, i) => ({
      id: `${base}${String(i).padStart(4, '0')}`,
      name: `bulk_${String(i).padStart(3, '0')}`,
    }));
    await query(
      hub.em(),
      `insert into sandbox.message_templates (id, waba_id, name, language, category, status, components, created_at)
       select x.id, ?, x.name, 'en_US', 'UTILITY', 'APPROVED', '[]'::jsonb, now()
         from json_to_recordset(?::json) as x(id text, name text)`,
      [waba, JSON.stringify(rows)],
    );
    // The sandbox's Graph itself: a page of 2, then the next one by `after`.
    const first = await request(hub.app)
      .get('/waba/v1/configs/templates')
      .query({ limit: '2' })
      .set('D360-API-KEY', c.keys[0]!);
    expect(first.body.data.map((t: { name: string }) => t.name)).toEqual(['bulk_000', 'bulk_001']);
    expect(first.body.paging.next).toEqual(expect.stringContaining('after='));
    const second = await request(hub.app)
      .get('/waba/v1/configs/templates')
      .query({ limit: '2', after: first.body.paging.cursors.after })
      .set('D360-API-KEY', c.keys[0]!);
    expect(second.body.data.map((t: { name: string }) => t.name)).toEqual(['bulk_002', 'bulk_003']);
    const last = await request(hub.app)
      .get('/waba/v1/configs/templates')
      .query({ limit: '100', name: 'bulk_229' })
      .set('D360-API-KEY', c.keys[0]!);
    expect(last.body.paging.next).toBeUndefined();

    const refreshed = await request(hub.app)
      .post(`/api/v2/partners/${c.partner.id}/templates/refresh`)
      .set(bearer(c.token))
      .send({});
    expect(refreshed.body.results).toEqual([expect.objectContaining({ ok: true, templates: 230 })]);
    let count = 0;
    let cursor: string | null = null;
    do {
      const res = await list(c, cursor ? { limit: 100, cursor } : { limit: 100 });
      count += res.body.templates.length;
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(count).toBe(230);
  });

  it('records a failed refresh (last_error), keeps the cache, and backs off 5 minutes before refreshing again', async () => {
    const d = await holder('Templates D', 1);
    await createTemplate(d.keys[0]!, { name: 'kept' });
    const ok = await request(hub.app)
      .post(`/api/v2/partners/${d.partner.id}/templates/refresh`)
      .set(bearer(d.token))
      .send({});
    expect(ok.body.results[0].ok).toBe(true);
    const waba = d.channels[0]!.wabaId;
    const expired = await fetch(`${hub.url}/sandbox/control/tokens/expire`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`,
      },
      body: JSON.stringify({ waba_id: waba }),
    });
    expect(expired.status).toBe(200);

    // The cache goes stale (older than 15 minutes), then a refresh fails.
    hub.clock.advance(16 * 60_000);
    const failed = await request(hub.app)
      .post(`/api/v2/partners/${d.partner.id}/templates/refresh`)
      .set(bearer(d.token))
      .send({});
    expect(failed.status).toBe(200);
    expect(failed.body.results).toEqual([
      expect.objectContaining({
        waba_id: waba,
        ok: false,
        templates: null,
        error: expect.any(String),
        synced_at: null,
      }),
    ]);
    const sync = await hub.em().findOneOrFail(TemplateSync, waba);
    expect(sync.lastError).toEqual(failed.body.results[0].error);
    expect(sync.nextAttemptAt!.getTime() - hub.clock.now().getTime()).toBe(5 * 60_000);

    // The cache is kept; the list reports the failure.
    const listed = await list(d);
    expect(names(listed)).toEqual(['kept/en_US']);
    expect(listed.body.syncs).toEqual([
      {
        waba_id: waba,
        synced_at: expect.any(String),
        last_error: sync.lastError,
        next_attempt_at: sync.nextAttemptAt!.toISOString(),
      },
    ]);

    // Stale but backing off: listing adds no refresh job; 5 minutes on it does, and the job fails again.
    const pending = async () =>
      (
        await query<{ n: number }>(
          hub.em(),
          `select count(*)::int n from graphile_worker.jobs where key = ?`,
          [`refresh_templates:${waba}`],
        )
      )[0]!.n;
    await list(d);
    expect(await pending()).toBe(0);
    hub.clock.advance(4 * 60_000);
    await list(d);
    expect(await pending()).toBe(0);
    hub.clock.advance(60_000);
    await list(d);
    expect(await pending()).toBe(1);
    await hub.drainJobs();
    expect(await pending()).toBe(0);
    const after = await hub.em().findOneOrFail(TemplateSync, waba);
    expect(after.lastAttemptAt!.getTime()).toBe(hub.clock.now().getTime());
    expect(after.lastError).toEqual(expect.any(String));
  });
});
