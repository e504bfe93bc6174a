import http from 'node:http';
import os from 'node:os';
import { createApp } from '../../server/app.ts';
import { parseConfig } from '../../server/config/env.ts';
import { migrate } from '../../server/db/migrate.ts';
import { query } from '../../server/db/sql.ts';
import { openHub } from '../../server/hub.ts';
import { createLogger } from '../../server/logger.ts';
import { encodeCursor } from '../../server/pagination.ts';
import { listen } from '../../server/process/http-server.ts';
import { partnerFactory } from '../support/factories.ts';
import { BENCH_HUB_SECRET, percentile } from './hub-processes.ts';
import type { BenchFlags } from './main.ts';
import { withScratchDatabase } from './scratch-database.ts';
import { trpcCallOf, trpcPathOf } from './trpc-call.ts';

const TARGET_P99_MS = 20;

/**
 * Every partner list endpoint over a bulk-seeded hub (at --scale 1: 1,000 partners, 100,000
 * clients, 1,000,000 channels; see seed() for the rest), first page and a deep cursor, with and
 * without each filter, one request at a time over real HTTP. An endpoint whose p99 is at or over
 * 20 ms gets its query's EXPLAIN (ANALYZE, BUFFERS) printed.
 */
export async function benchLists(flags: BenchFlags): Promise<void> {
  const scale = Number(flags.scale ?? 1);
  const requests = Number(flags.requests ?? 200);
  // The same operations over tRPC (`--transport trpc`): one declaration serves both.
  const transport = flags.transport ?? 'rest';
  if (transport !== 'rest' && transport !== 'trpc')
    throw new Error(`--transport is rest or trpc, not ${transport}`);
  await withScratchDatabase(async (databaseUrl) => {
    const config = parseConfig({
      DATABASE_URL: databaseUrl,
      HUB_SECRET: BENCH_HUB_SECRET,
      RATE_LIMIT_READ_PER_MINUTE: '1000000',
    });
    const hub = await openHub(config, createLogger('silent'));
    await migrate(hub.orm, databaseUrl);
    // The two measured partners are created the real way, so their tokens work.
    const heavy = await partnerFactory(hub.orm.em.fork(), hub, 'Heavy SaaS', {
      webhookUrl: 'https://heavy.example/hooks',
    });
    const skew = await partnerFactory(hub.orm.em.fork(), hub, 'Skew SaaS', {
      webhookUrl: 'https://skew.example/hooks',
    });
    const em = hub.orm.em.fork();
    const sql: Sql = (q, params = []) => query(em, q, params);
    const started = performance.now();
    const volumes = await seed(sql, scale, heavy.partner.id, skew.partner.id);
    const seedSeconds = (performance.now() - started) / 1000;
    const settled = performance.now();
    await settle(sql);
    const settleSeconds = (performance.now() - settled) / 1000;
    const server = await listen(createApp(hub), 0);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const lines: string[] = [];
    const results: { partner: string; endpoint: string; p50_ms: number; p99_ms: number; items: number }[] =
      [];
    const explains: string[] = [];
    try {
      for (const [label, p] of [
        ['heavy', heavy],
        ['skew', skew],
      ] as const) {
        const cases = await casesFor(sql, p.partner.id);
        for (const c of cases) {
          const restPath = `/partners/${p.partner.id}${c.path}`;
          const url =
            origin + (transport === 'trpc' ? trpcPathOf(trpcCallOf(restPath)) : `/api/v2${restPath}`);
          const headers = { authorization: `Bearer ${p.token}` };
          let items = 0;
          for (let i = 0; i < 5; i++) await get(agent, url, headers);
          const times: number[] = [];
          for (let i = 0; i < requests; i++) {
            const t0 = performance.now();
            const res = await get(agent, url, headers);
            const parsed = JSON.parse(res.body) as { result?: { data: Record<string, unknown> } };
            const body =
              transport === 'trpc' ? (parsed.result?.data ?? {}) : (parsed as Record<string, unknown>);
            times.push(performance.now() - t0);
            if (res.status !== 200) throw new Error(`${c.name}: ${res.status} ${res.body}`);
            const list = Object.values(body).find(Array.isArray) as unknown[] | undefined;
            items = list?.length ?? 0;
          }
          const r = {
            partner: label,
            endpoint: c.name,
            p50_ms: round(percentile(times, 50)),
            p99_ms: round(percentile(times, 99)),
            items,
          };
          results.push(r);
          lines.push(
            `  ${label.padEnd(5)} ${c.name.padEnd(52)} p50 ${String(r.p50_ms).padStart(6)} ms  p99 ${String(r.p99_ms).padStart(6)} ms  ${items} items${r.p99_ms >= TARGET_P99_MS ? '  MISS' : ''}`,
          );
          if (r.p99_ms >= TARGET_P99_MS && c.explain) {
            // The driver may rename the `QUERY PLAN` column: take each row's only value.
            const plan = (await sql(
              `explain (analyze, buffers) ${c.explain.sql}`,
              c.explain.params,
            )) as object[];
            explains.push(
              `${label} ${c.name}:\n${plan.map((row) => `    ${Object.values(row)[0]}`).join('\n')}`,
            );
          }
        }
      }
    } finally {
      agent.destroy();
      server.close();
      await hub.close();
    }
    const worst = results.reduce((a, b) => (b.p99_ms > a.p99_ms ? b : a));
    const misses = results.filter((r) => r.p99_ms >= TARGET_P99_MS);
    process.stdout.write(
      [
        `lists: every partner list endpoint over ${transport === 'trpc' ? 'tRPC' : 'REST'}, ${requests} sequential requests each, scale ${scale}`,
        `  machine      ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
        `  seeded       ${Object.entries(volumes)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')} in ${seedSeconds.toFixed(1)} s; vacuum and checkpoint ${settleSeconds.toFixed(1)} s`,
        ...lines,
        `  worst p99    ${worst.p99_ms} ms (${worst.partner} ${worst.endpoint}); ${misses.length} at or over ${TARGET_P99_MS} ms`,
        ...explains,
        JSON.stringify({
          bench: 'lists',
          transport,
          scale,
          seed_s: round(seedSeconds),
          settle_s: round(settleSeconds),
          worst_p99_ms: worst.p99_ms,
          misses: misses.length,
          results,
        }),
        '',
      ].join('\n'),
    );
  });
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Brings the freshly seeded database to the state a running one is in before anything is
 * timed: vacuumed (the visibility map set, so index-only scans skip the heap; otherwise
 * autovacuum starts on the new tables during the first cases) and checkpointed (the seed's
 * gigabytes on disk, not being written back by the kernel while the first cases run).
 */
async function settle(sql: Sql): Promise<void> {
  await sql('vacuum (analyze)');
  await sql('checkpoint');
}

/**
 * The load generator shares the hub's process and heap: node:http on one keep-alive socket
 * leaves the hub's young generation far less to carry than fetch did (a scratch app: 78 → 32 MB
 * of old space per 3,000 list calls), so the tails measured are the hub's.
 */
function get(
  agent: http.Agent,
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent }, (res) => {
        res.setEncoding('utf8');
        let body = '';
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

type Sql = (q: string, params?: unknown[]) => Promise<unknown[]>;

interface Case {
  name: string;
  path: string;
  /** The list's main query as the service issues it, for EXPLAIN on a miss. */
  explain?: { sql: string; params: unknown[] };
}

async function one<T>(sql: Sql, q: string, params: unknown[]): Promise<T | undefined> {
  const rows = (await sql(q, params)) as T[];
  return rows[0];
}

/** The id `depth` rows into a newest-first list: the cursor a client holds after paging that far. */
async function deepId(sql: Sql, q: string, params: unknown[]): Promise<string | undefined> {
  return (await one<{ id: string }>(sql, q, params))?.id;
}

async function casesFor(sql: Sql, partnerId: string): Promise<Case[]> {
  const cases: Case[] = [];
  const add = (name: string, path: string, explain?: Case['explain']) => cases.push({ name, path, explain });
  const withCursor = (path: string, id: string | undefined) =>
    id ? `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeCursor(id)}` : path;

  // clients
  const clientCount = Number(
    (await one<{ n: string }>(sql, 'select count(*) n from clients where partner_id = ?', [partnerId]))?.n,
  );
  const deepClient = await deepId(
    sql,
    'select id from clients where partner_id = ? order by id desc offset ? limit 1',
    [partnerId, Math.floor(clientCount * 0.9)],
  );
  const aClient = await one<{ id: string; external_id: string; created_at: string }>(
    sql,
    `select id, external_id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') created_at from clients where partner_id = ? order by id offset ? limit 1`,
    [partnerId, Math.floor(clientCount / 2)],
  );
  const mid = aClient?.created_at ?? new Date().toISOString();
  const cl = (q: string) => ({
    sql: `select * from clients c where c.partner_id = ? ${q} order by c.id desc limit 51`,
    params: [partnerId],
  });
  add('clients', '/clients', cl(''));
  add('clients deep', withCursor('/clients', deepClient), cl(`and c.id < '${deepClient}'`));
  add('clients status=suspended', '/clients?status=suspended', cl(`and c.status = 'suspended'`));
  add(
    'clients status=suspended deep',
    withCursor('/clients?status=suspended', deepClient),
    cl(`and c.status = 'suspended' and c.id < '${deepClient}'`),
  );
  add(
    'clients external_id',
    `/clients?external_id=${aClient?.external_id}`,
    cl(`and c.external_id = '${aClient?.external_id}'`),
  );
  // A creation range: the page's ids first, from (partner_id, created_at, id), as the service does.
  const range = (q: string) => ({
    sql: `with matching as materialized (select id from clients c where c.partner_id = ? ${q})
          select id from matching order by id desc limit 51`,
    params: [partnerId],
  });
  add('clients created_after', `/clients?created_after=${mid}`, range(`and c.created_at >= '${mid}'`));
  add('clients created_before', `/clients?created_before=${mid}`, range(`and c.created_at < '${mid}'`));
  add(
    'clients created_before deep',
    withCursor(`/clients?created_before=${mid}`, deepClient),
    range(`and c.created_at < '${mid}' and c.id < '${deepClient}'`),
  );

  // channels (through current permissions)
  const chanCount = Number(
    (
      await one<{ n: string }>(
        sql,
        'select count(*) n from permissions where partner_id = ? and revoked_at is null',
        [partnerId],
      )
    )?.n,
  );
  const deepChannel = await deepId(
    sql,
    'select channel_id id from permissions where partner_id = ? and revoked_at is null order by channel_id desc offset ? limit 1',
    [partnerId, Math.floor(chanCount * 0.9)],
  );
  const aChannel = await one<{ id: string; phone_number: string; client_id: string }>(
    sql,
    `select c.id, c.phone_number, c.client_id from permissions p join channels c on c.id = p.channel_id
      where p.partner_id = ? and p.revoked_at is null order by p.channel_id offset ? limit 1`,
    [partnerId, Math.floor(chanCount / 2)],
  );
  const ch = (q: string) => ({
    sql: `select p.*, c.* from permissions p join channels c on c.id = p.channel_id
             where p.partner_id = ? and p.revoked_at is null ${q} order by p.channel_id desc limit 51`,
    params: [partnerId],
  });
  add('channels', '/channels', ch(''));
  add('channels deep', withCursor('/channels', deepChannel), ch(`and p.channel_id < '${deepChannel}'`));
  add('channels status=failed', '/channels?status=failed', ch(`and p.channel_status = 'failed'`));
  add(
    'channels status=failed deep',
    withCursor('/channels?status=failed', deepChannel),
    ch(`and p.channel_status = 'failed' and p.channel_id < '${deepChannel}'`),
  );
  add(
    'channels status=live deep',
    withCursor('/channels?status=live', deepChannel),
    ch(`and p.channel_status = 'live' and p.channel_id < '${deepChannel}'`),
  );
  add(
    'channels quality_rating=RED',
    '/channels?quality_rating=RED',
    ch(`and p.channel_quality_rating = 'RED'`),
  );
  add(
    'channels quality_rating=RED deep',
    withCursor('/channels?quality_rating=RED', deepChannel),
    ch(`and p.channel_quality_rating = 'RED' and p.channel_id < '${deepChannel}'`),
  );
  add(
    'channels current_limit=TIER_UNLIMITED',
    '/channels?current_limit=TIER_UNLIMITED',
    ch(`and p.channel_current_limit = 'TIER_UNLIMITED'`),
  );
  add(
    'channels status=live current_limit=TIER_250',
    '/channels?status=live&current_limit=TIER_250',
    ch(`and p.channel_status = 'live' and p.channel_current_limit = 'TIER_250'`),
  );
  add(
    'channels client_id',
    `/channels?client_id=${aChannel?.client_id}`,
    ch(`and c.client_id = '${aChannel?.client_id}'`),
  );
  add(
    'channels phone_number',
    `/channels?phone_number=%2B${aChannel?.phone_number}`,
    ch(`and c.phone_number = '${aChannel?.phone_number}'`),
  );

  // api keys of the channel with the most
  const keyChannel = await one<{ channel_id: string; n: string }>(
    sql,
    'select channel_id, count(*) n from channel_api_keys where partner_id = ? group by channel_id order by 2 desc limit 1',
    [partnerId],
  );
  if (keyChannel) {
    const deepKey = await deepId(
      sql,
      'select id from channel_api_keys where channel_id = ? order by id desc offset ? limit 1',
      [keyChannel.channel_id, Math.floor(Number(keyChannel.n) * 0.9)],
    );
    const ak = (q: string) => ({
      sql: `select * from channel_api_keys k where k.partner_id = ? and k.channel_id = '${keyChannel.channel_id}' and k.revoked_at is null
               and (k.expires_at is null or k.expires_at > now()) ${q} order by k.id desc limit 51`,
      params: [partnerId],
    });
    add(`api_keys (${keyChannel.n} on the channel)`, `/channels/${keyChannel.channel_id}/api_keys`, ak(''));
    add(
      'api_keys deep',
      withCursor(`/channels/${keyChannel.channel_id}/api_keys`, deepKey),
      ak(`and k.id < '${deepKey}'`),
    );
  }

  // tokens
  const tokenCount = Number(
    (await one<{ n: string }>(sql, 'select count(*) n from partner_tokens where partner_id = ?', [partnerId]))
      ?.n,
  );
  const deepToken = await deepId(
    sql,
    'select id from partner_tokens where partner_id = ? order by id desc offset ? limit 1',
    [partnerId, Math.floor(tokenCount * 0.9)],
  );
  const tk = (q: string) => ({
    sql: `select * from partner_tokens t where t.partner_id = ? and t.revoked_at is null
             and (t.expires_at is null or t.expires_at > now()) ${q} order by t.id desc limit 51`,
    params: [partnerId],
  });
  add('tokens', '/tokens', tk(''));
  add('tokens deep', withCursor('/tokens', deepToken), tk(`and t.id < '${deepToken}'`));

  // onboarding sessions
  const obsCount = Number(
    (
      await one<{ n: string }>(sql, 'select count(*) n from onboarding_sessions where partner_id = ?', [
        partnerId,
      ])
    )?.n,
  );
  const deepObs = await deepId(
    sql,
    'select id from onboarding_sessions where partner_id = ? order by id desc offset ? limit 1',
    [partnerId, Math.floor(obsCount * 0.9)],
  );
  const ob = (q: string) => ({
    sql: `select * from onboarding_sessions o where o.partner_id = ? ${q} order by o.id desc limit 51`,
    params: [partnerId],
  });
  add('onboarding_sessions', '/onboarding_sessions', ob(''));
  add('onboarding_sessions deep', withCursor('/onboarding_sessions', deepObs), ob(`and o.id < '${deepObs}'`));
  add(
    'onboarding_sessions status=failed',
    '/onboarding_sessions?status=failed',
    ob(`and o.status = 'failed'`),
  );
  add(
    'onboarding_sessions status=failed deep',
    withCursor('/onboarding_sessions?status=failed', deepObs),
    ob(`and o.status = 'failed' and o.id < '${deepObs}'`),
  );
  add(
    'onboarding_sessions status=pending',
    '/onboarding_sessions?status=pending',
    ob(`and o.status = 'pending'`),
  );
  add(
    `onboarding_sessions tenant_id`,
    `/onboarding_sessions?tenant_id=${aClient?.external_id}`,
    ob(`and o.tenant_id = '${aClient?.external_id}'`),
  );

  // webhook endpoints (not paginated)
  add('webhook_endpoints', '/webhook_endpoints');

  // events
  const evtCount = Number(
    (await one<{ n: string }>(sql, 'select count(*) n from webhook_events where partner_id = ?', [partnerId]))
      ?.n,
  );
  const deepEvt = await deepId(
    sql,
    'select id from webhook_events where partner_id = ? order by id desc offset ? limit 1',
    [partnerId, Math.floor(evtCount * 0.9)],
  );
  const evMid = (
    await one<{ created_at: string }>(
      sql,
      `select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') created_at from webhook_events where partner_id = ? order by id offset ? limit 1`,
      [partnerId, Math.floor(evtCount / 2)],
    )
  )?.created_at;
  const ev = (q: string) => ({
    sql: `select * from webhook_events e where e.partner_id = ? ${q} order by e.id desc limit 51`,
    params: [partnerId],
  });
  add('events', '/events', ev(''));
  add('events deep', withCursor('/events', deepEvt), ev(`and e.id < '${deepEvt}'`));
  add(
    'events type=permission.revoked',
    '/events?type=permission.revoked',
    ev(`and e.type = 'permission.revoked'`),
  );
  add(
    'events type=permission.revoked deep',
    withCursor('/events?type=permission.revoked', deepEvt),
    ev(`and e.type = 'permission.revoked' and e.id < '${deepEvt}'`),
  );
  add('events since', `/events?since=${evMid}`, ev(`and e.created_at >= '${evMid}'`));
  add(
    'events since deep',
    withCursor(`/events?since=${evMid}`, deepEvt),
    ev(`and e.created_at >= '${evMid}' and e.id < '${deepEvt}'`),
  );

  // deliveries
  const deepDlv = await deepId(
    sql,
    'select id from webhook_deliveries where partner_id = ? order by id desc offset ? limit 1',
    [partnerId, Math.floor(evtCount * 0.9)],
  );
  const endpoint = await one<{ id: string }>(
    sql,
    `select id from webhook_destinations where partner_id = ? and kind = 'endpoint' limit 1`,
    [partnerId],
  );
  const dl = (q: string) => ({
    sql: `select d.*, e.* from webhook_deliveries d join webhook_events e on e.id = d.event_id
             where d.partner_id = ? ${q} order by d.id desc limit 51`,
    params: [partnerId],
  });
  add('deliveries', '/deliveries', dl(''));
  add('deliveries deep', withCursor('/deliveries', deepDlv), dl(`and d.id < '${deepDlv}'`));
  add('deliveries status=failed', '/deliveries?status=failed', dl(`and d.status = 'failed'`));
  add(
    'deliveries status=failed deep',
    withCursor('/deliveries?status=failed', deepDlv),
    dl(`and d.status = 'failed' and d.id < '${deepDlv}'`),
  );
  add(
    'deliveries event_type=permission.revoked',
    '/deliveries?event_type=permission.revoked',
    dl(`and d.event_type = 'permission.revoked'`),
  );
  add(
    'deliveries event_type deep',
    withCursor('/deliveries?event_type=permission.revoked', deepDlv),
    dl(`and d.event_type = 'permission.revoked' and d.id < '${deepDlv}'`),
  );
  add('deliveries since', `/deliveries?since=${evMid}`, dl(`and d.created_at >= '${evMid}'`));
  add(
    'deliveries endpoint_id=primary',
    '/deliveries?endpoint_id=primary',
    dl(`and d.kind = 'partner_webhook'`),
  );
  if (endpoint) {
    // The service checks the endpoint is the partner's, then filters on the destination alone.
    const wep = (q: string) => ({
      sql: `select d.*, e.* from webhook_deliveries d join webhook_events e on e.id = d.event_id
               where d.destination_id = ? ${q} order by d.id desc limit 51`,
      params: [endpoint.id],
    });
    add('deliveries endpoint_id=wep', `/deliveries?endpoint_id=${endpoint.id}`, wep(''));
    add(
      'deliveries endpoint_id=wep deep',
      withCursor(`/deliveries?endpoint_id=${endpoint.id}`, deepDlv),
      wep(`and d.id < '${deepDlv}'`),
    );
  }
  return cases;
}

/**
 * Bulk SQL, scaled by `scale`: 1,000 partners (the two measured ones made by the factory), 100,000
 * clients (1% to `heavy`, 10% to `skew`, the rest spread over 998 partners), 10 channels per
 * client, each with a current permission; an API key on every 4th live channel plus 500 on one
 * channel of each measured partner; 300 tokens for each measured partner (2 for the others);
 * 2 onboarding sessions per client; 5 webhook events per client, each with one delivery.
 * Ids are `<prefix>_<ulid>` with the time part from `created_at`, as the hub makes them.
 */
async function seed(sql: Sql, scale: number, heavy: string, skew: string): Promise<Record<string, number>> {
  const clients = Math.max(200, Math.round(100_000 * scale));
  const others = 998;
  // Ten Crockford base32 digits of n (lowercase, as shared/ids.ts spells them), written out so it inlines.
  await sql(`create or replace function bench_b32(n bigint) returns text language sql immutable parallel safe as $$
    select substr('0123456789abcdefghjkmnpqrstvwxyz', ((n >> 45) & 31)::int + 1, 1) || substr('0123456789abcdefghjkmnpqrstvwxyz', ((n >> 40) & 31)::int + 1, 1) || substr('0123456789abcdefghjkmnpqrstvwxyz', ((n >> 35) & 31)::int + 1, 1) || substr('0123456789abcdefghjkmnpqrstvwxyz', ((n >> 30) & 31)::int + 1, 1) || substr('0123456789abcdefghjkmnpqrstvwxyz', ((n >> 25) & 31)::int + 1, 1) || substr('0123456789abcdefghjkmnpqrstvwxyz', ((n >> 20) & 31)::int + 1, 1) || substr('0123456789abcdefghjkmnpqrstvwxyz', ((n >> 15) & 31)::int + 1, 1) || substr('0123456789abcdefghjkmnpqrstvwxyz', ((n >> 10) & 31)::int + 1, 1) || substr('0123456789abcdefghjkmnpqrstvwxyz', ((n >> 5) & 31)::int + 1, 1) || substr('0123456789abcdefghjkmnpqrstvwxyz', ((n >> 0) & 31)::int + 1, 1) $$`);
  await sql(`create or replace function bench_ulid(prefix text, at timestamptz, seq bigint) returns text language sql immutable parallel safe as $$
    select prefix || '_' || bench_b32((extract(epoch from at) * 1000)::bigint) || '000000' || bench_b32(seq) $$`);
  // Two years of history, client g created at an even step through it.
  const origin = `'${new Date(Date.now() - 730 * 86_400_000).toISOString()}'::timestamptz`;
  const step = `(interval '730 days' / ${clients})`;
  await sql(
    `insert into partners (id, name, allowed_redirect_urls, created_at, updated_at, is_demo, require_signed_links)
     select bench_ulid('ptn', ${origin} - interval '1 day', j), 'Partner ' || j, '[]', ${origin} - interval '1 day', now(), false, false
       from generate_series(0, ${others - 1}) j`,
  );
  await sql(
    `insert into clients (id, partner_id, name, external_id, status, created_at, updated_at)
     select bench_ulid('cli', at, g), case when g % 100 = 0 then ? when g % 10 = 1 then ?
              else bench_ulid('ptn', ${origin} - interval '1 day', g % ${others}) end,
            'Client ' || g, 'tenant-' || g, case when (g / 100 + g) % 20 = 7 then 'suspended' else 'active' end, at, at
       from (select g, ${origin} + g * ${step} as at from generate_series(1, ${clients}) g) s`,
    [heavy, skew],
  );
  await sql(
    `insert into channels (id, client_id, phone_number, display_name, waba_id, phone_number_id, status, connection_type,
                           quality_rating, current_limit, created_at, updated_at)
     select bench_ulid('chn', at, k), bench_ulid('cli', cat, g), (100000000000 + k)::text, 'Line ' || k,
            (200000000000 + g)::text, (300000000000 + k)::text,
            case when h < 70 then 'live' when h < 75 then 'connected' when h < 80 then 'pending' when h < 85 then 'restricted'
                 when h < 90 then 'failed' when h < 95 then 'disconnected' else 'deleted' end,
            case when k % 10 = 9 then 'coexistence' else 'cloud_api' end,
            -- 1% RED, 4% YELLOW: the rare values are the expensive filters
            case when (k / 7) % 100 = 3 then 'RED' when (k / 7) % 100 < 3 then 'YELLOW' when h < 80 then 'GREEN' end,
            case when (k / 3) % 100 = 5 then 'TIER_UNLIMITED' when (k / 3) % 10 < 3 then 'TIER_250' when h < 80 then 'TIER_2K' end,
            at, at
       from (select g, k, (hashtext(k::text) & 1023) % 100 as h, ${origin} + g * ${step} as cat, ${origin} + g * ${step} + (k % 10) * interval '1 minute' as at
               from generate_series(1, ${clients}) g, generate_series(g * 10, g * 10 + 9) k) s`,
  );
  await sql(
    `insert into permissions (id, partner_id, channel_id, client_id, granted_at, granted_by)
     select 'prm' || substr(ch.id, 4), c.partner_id, ch.id, c.id, ch.created_at, 'bench'
       from channels ch join clients c on c.id = ch.client_id`,
  );
  await sql(
    `insert into channel_api_keys (id, channel_id, partner_id, key_hash, last4, created_at, revoked_at)
     select 'key' || substr(p.channel_id, 4), p.channel_id, p.partner_id, md5('k' || p.channel_id) || md5('x' || p.channel_id),
            right(md5(p.channel_id), 4), p.granted_at, null
       from permissions p join channels ch on ch.id = p.channel_id
      where ch.status = 'live' and right(ch.phone_number_id, 2)::int % 4 = 0`,
  );
  await sql(
    `insert into channel_api_keys (id, channel_id, partner_id, key_hash, last4, created_at, revoked_at)
     select bench_ulid('key', now() - i * interval '1 hour', f.rn * 1000 + i), f.channel_id, f.partner_id,
            md5('many' || f.channel_id || i) || md5('y' || f.channel_id || i), '0000', now() - i * interval '1 hour',
            case when i % 5 = 0 then now() end
       from (select *, row_number() over (order by partner_id) rn from (
              select distinct on (p.partner_id) p.partner_id, p.channel_id from permissions p join channels ch on ch.id = p.channel_id
               where p.partner_id in (?, ?) and ch.status = 'live' order by p.partner_id, p.channel_id) d) f,
            generate_series(1, 500) i`,
    [heavy, skew],
  );
  await sql(
    `insert into partner_tokens (id, partner_id, token_hash, last4, created_at, expires_at, revoked_at)
     select bench_ulid('ptk', now() - i * interval '1 day', p.rn * 1000 + i), p.id, md5('t' || p.id || i) || md5('u' || p.id || i), '0000',
            now() - i * interval '1 day', case when i % 3 = 1 then now() - interval '1 hour' end, case when i % 3 = 2 then now() end
       from (select id, row_number() over (order by id) rn from partners) p,
            generate_series(1, case when p.id in (?, ?) then 300 else 2 end) i`,
    [heavy, skew],
  );
  await sql(
    `insert into onboarding_sessions (id, partner_id, url_token_hash, tenant_id, connection_types, status, client_id, channel_id,
                                      expires_at, created_at, updated_at)
     select bench_ulid('obs', at, g * 2 + j), c.partner_id, md5('o' || c.id || j) || md5('p' || c.id || j), c.external_id, '["cloud_api"]',
            s.status, case when s.status = 'completed' then c.id end,
            case when s.status = 'completed' then bench_ulid('chn', c.created_at, g * 10) end,
            at + interval '1 day', at, at
       from (select g, j, ${origin} + g * ${step} - interval '1 hour' + j * interval '1 minute' as at,
                    case when h < 60 then 'completed' when h < 75 then 'expired' when h < 83 then 'cancelled'
                         when h < 90 then 'failed' when h < 95 then 'pending' else 'opened' end status
               from generate_series(1, ${clients}) g, generate_series(0, 1) j, lateral (select (hashtext((g * 2 + j)::text) & 1023) % 100 h) hh) s
       join clients c on c.id = bench_ulid('cli', ${origin} + g * ${step}, g)`,
  );
  await sql(
    `insert into webhook_destinations (id, partner_id, kind, url, description, secret_sealed, consecutive_failures, created_at, updated_at)
     select bench_ulid('wep', now() - interval '800 days', (d.partner_id = ?)::int * 10 + i), d.partner_id, 'endpoint', 'https://' || i || '.example/hooks',
            'extra ' || i, d.secret_sealed, 0, now() - interval '800 days', now()
       from webhook_destinations d, generate_series(1, 3) i where d.kind = 'partner_webhook' and d.partner_id in (?, ?)`,
    [heavy, heavy, skew],
  );
  await sql(
    `insert into webhook_events (id, partner_id, channel_id, type, created_at, body)
     select bench_ulid('evt', at, g * 5 + j), c.partner_id, ch, t, at,
            json_build_object('type', t, 'timestamp', at, 'data',
              json_build_object('permission_id', 'prm' || substr(ch, 4), 'channel_id', ch, 'client_id', c.id))::text
       from (select g, j, ${origin} + g * ${step} + j * interval '1 hour' as at,
                    bench_ulid('chn', ${origin} + g * ${step}, g * 10) ch,
                    case when (g * 5 + j) % 53 = 0 then 'permission.revoked' else 'permission.granted' end t
               from generate_series(1, ${clients}) g, generate_series(0, 4) j) s
       join clients c on c.id = bench_ulid('cli', ${origin} + g * ${step}, g)`,
  );
  await sql(
    `insert into webhook_deliveries (id, event_id, event_type, partner_id, kind, url, status, attempt_count, next_attempt_at, last_attempt_at,
                                     succeeded_at, created_at, updated_at, destination_id)
     select 'dlv' || substr(e.id, 4), e.id, e.type, e.partner_id, coalesce(w.kind, 'partner_webhook'), coalesce(w.url, 'https://partner.example/hooks'),
            st, 1, case when st = 'pending' then now() + interval '1 day' end, e.created_at,
            case when st = 'succeeded' then e.created_at end, e.created_at, e.created_at, w.id
       from (select e.*, (hashtext(e.id) & 1023) % 100 as h,
                    case when (hashtext(e.id) & 1023) % 100 < 90 then 'succeeded' when (hashtext(e.id) & 1023) % 100 < 97 then 'failed'
                         else 'pending' end st
               from webhook_events e) e
       left join lateral (select d.id, d.kind, d.url from webhook_destinations d where d.partner_id = e.partner_id
                           and d.kind = case when e.h % 2 = 0 then 'endpoint' else 'partner_webhook' end
                           order by d.id limit 1) w on true`,
  );
  const count = async (table: string) =>
    Number((await one<{ n: string }>(sql, `select count(*) n from ${table}`, []))?.n);
  const volumes: Record<string, number> = {};
  for (const table of [
    'partners',
    'clients',
    'channels',
    'permissions',
    'channel_api_keys',
    'partner_tokens',
    'onboarding_sessions',
    'webhook_destinations',
    'webhook_events',
    'webhook_deliveries',
  ])
    volumes[table] = await count(table);
  return volumes;
}
