import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { onboardBenchChannel, percentile, startBenchHub } from './hub-processes.ts';
import { cpuPerRequest, postgresCpuMs } from './process-cpu.ts';
import { withScratchDatabase } from './scratch-database.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 2000);
const LATENCY_ROUNDS = 8;

const MESSAGE = JSON.stringify({
  messaging_product: 'whatsapp',
  to: '4915112345678',
  type: 'text',
  text: { body: 'benchmark' },
});

async function throughput(url: string, headers: Record<string, string>) {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: MESSAGE,
    connections: CONNECTIONS,
    duration: DURATION_S,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx and ${result.errors} errors`);
  }
  return { rps: result.requests.average, total: result.requests.total };
}

/** One request at a time, timed with performance.now(): sub-millisecond resolution for the p50. */
async function sequentialLatencies(
  origin: string,
  path: string,
  headers: Record<string, string>,
  count = LATENCY_SAMPLES,
) {
  const pool = new Pool(origin, { connections: 1 });
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const res = await pool.request({
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: MESSAGE,
      });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`${path}: HTTP ${res.statusCode}`);
      samples.push(performance.now() - started);
    }
  } finally {
    await pool.close();
  }
  return samples;
}

/**
 * The most of the direct rate that the machine's cores allow a path whose processes spend
 * `usPerSend` µs of CPU per send between them (all busy on the cores at once): past it, only
 * spending less CPU helps. Kernel time charged to no process makes the real ceiling lower;
 * above 1 the path has CPU to spare and Graph's one thread bounds it, as it bounds direct.
 */
function cpuCeiling(usPerSend: (number | null | undefined)[], directRps: number): number | null {
  if (usPerSend.some((us) => us == null)) return null;
  const total = (usPerSend as number[]).reduce((a, b) => a + b, 0);
  return Number(((os.availableParallelism() * 1e6) / total / directRps).toFixed(3));
}

/**
 * `npm run bench -- proxy`: `/waba/messages` (key check, token, forward, hand back) against
 * calling the sandbox Graph directly, in the same run. The sandbox Graph runs in one hub
 * process and the proxying hub in another (pointed at it with META_GRAPH_URL), so both sides
 * hit the same emulator and the difference is what the proxy costs. A third process, a bare
 * Node proxy (bare-proxy-process.ts), measures the floor: what forwarding alone costs here,
 * so `hub_vs_bare` is the share of the hop that is the hub's own work.
 */
export async function benchProxy(): Promise<void> {
  await withScratchDatabase(async (databaseUrl) => {
    const graphHub = await startBenchHub(databaseUrl, { WORKER_ENABLED: 'false' });
    const graphUrl = `${graphHub.url}/sandbox/graph`;
    const proxyHub = await startBenchHub(databaseUrl, { WORKER_ENABLED: 'false', META_GRAPH_URL: graphUrl });
    let bareProcess: ChildProcess | undefined;
    try {
      const channel = await onboardBenchChannel(proxyHub.url, {
        DATABASE_URL: databaseUrl,
        META_GRAPH_URL: graphUrl,
      });
      const reveal = await fetch(
        `${proxyHub.url}/api/v2/partners/${channel.partnerId}/channels/${channel.channelId}/reveal_secrets`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${channel.partnerToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ secret_types: ['access_token'] }),
        },
      );
      const { secrets } = (await reveal.json()) as { secrets: { access_token: string } };
      const direct = {
        origin: graphHub.url,
        path: `/sandbox/graph/v23.0/${channel.phoneNumberId}/messages`,
        headers: { authorization: `Bearer ${secrets.access_token}` },
      };
      const proxied = {
        origin: proxyHub.url,
        path: '/waba/messages',
        headers: { 'D360-API-KEY': channel.apiKey },
      };
      bareProcess = fork(path.join(here, 'bare-proxy-process.ts'), {
        env: {
          ...process.env,
          BENCH_PROXY_TARGET: direct.origin + direct.path,
          BENCH_PROXY_AUTHORIZATION: direct.headers.authorization,
        },
        execArgv: [],
      });
      const [ready] = (await once(bareProcess, 'message')) as [{ port: number }];
      const bare = { origin: `http://127.0.0.1:${ready.port}`, path: '/messages', headers: {} };

      // Warm both paths (JIT, keep-alive pools, the key cache).
      await sequentialLatencies(direct.origin, direct.path, direct.headers);
      await sequentialLatencies(proxied.origin, proxied.path, proxied.headers);
      await sequentialLatencies(bare.origin, bare.path, bare.headers);
      // CPU per request of each process, a steadier figure than rates on a shared machine.
      const pids = {
        graph: graphHub.child.pid,
        hub: proxyHub.child.pid,
        bare: bareProcess.pid,
        load: process.pid,
        // The message log's inserts: the proxied path's share of the database.
        postgres: postgresCpuMs,
      };
      const measured = (target: { origin: string; path: string; headers: Record<string, string> }) =>
        cpuPerRequest(
          pids,
          () => throughput(target.origin + target.path, target.headers),
          (r) => r.total,
        );
      const directRun = await measured(direct);
      const bareRun = await measured(bare);
      const proxyRun = await measured(proxied);
      const [directRps, bareRps, proxyRps] = [directRun.result.rps, bareRun.result.rps, proxyRun.result.rps];
      // Interleaved rounds, so a drift in the machine's load falls on all three alike.
      const directLat: number[] = [];
      const bareLat: number[] = [];
      const proxyLat: number[] = [];
      for (let round = 0; round < LATENCY_ROUNDS; round++) {
        const n = Math.ceil(LATENCY_SAMPLES / LATENCY_ROUNDS);
        directLat.push(...(await sequentialLatencies(direct.origin, direct.path, direct.headers, n)));
        bareLat.push(...(await sequentialLatencies(bare.origin, bare.path, bare.headers, n)));
        proxyLat.push(...(await sequentialLatencies(proxied.origin, proxied.path, proxied.headers, n)));
      }

      const figures = {
        bench: 'proxy',
        direct_rps: Math.round(directRps),
        proxy_rps: Math.round(proxyRps),
        ratio: Number((proxyRps / directRps).toFixed(3)),
        direct_p50_ms: Number(percentile(directLat, 50).toFixed(3)),
        proxy_p50_ms: Number(percentile(proxyLat, 50).toFixed(3)),
        p50_overhead_ms: Number((percentile(proxyLat, 50) - percentile(directLat, 50)).toFixed(3)),
        bare_rps: Math.round(bareRps),
        bare_ratio: Number((bareRps / directRps).toFixed(3)),
        bare_p50_overhead_ms: Number((percentile(bareLat, 50) - percentile(directLat, 50)).toFixed(3)),
        hub_vs_bare: Number((proxyRps / bareRps).toFixed(3)),
        graph_cpu_us_per_send: directRun.usPerRequest.graph,
        hub_cpu_us_per_send: proxyRun.usPerRequest.hub,
        bare_cpu_us_per_send: bareRun.usPerRequest.bare,
        load_cpu_us_per_send: directRun.usPerRequest.load,
        postgres_cpu_us_per_send: proxyRun.usPerRequest.postgres,
        cpu_ceiling: cpuCeiling(
          ['graph', 'hub', 'load', 'postgres'].map((k) => proxyRun.usPerRequest[k]),
          directRps,
        ),
        bare_cpu_ceiling: cpuCeiling(
          ['graph', 'bare', 'load', 'postgres'].map((k) => bareRun.usPerRequest[k]),
          directRps,
        ),
      };
      process.stdout.write(
        [
          'proxy: POST /waba/messages (channel key → Graph with the channel token) vs POST {graph}/{phone_number_id}/messages',
          `  machine        ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
          `  setup          sandbox Graph and proxying hub in separate processes, one PostgreSQL, ${CONNECTIONS} connections × ${DURATION_S} s`,
          `  direct         ${figures.direct_rps} req/s, p50 ${figures.direct_p50_ms} ms (sequential, ${LATENCY_SAMPLES} samples in ${LATENCY_ROUNDS} interleaved rounds)`,
          `  through hub    ${figures.proxy_rps} req/s, p50 ${figures.proxy_p50_ms} ms`,
          `  ratio          ${figures.ratio} of direct; p50 overhead ${figures.p50_overhead_ms} ms`,
          `  bare proxy     ${figures.bare_rps} req/s (${figures.bare_ratio} of direct; p50 overhead ${figures.bare_p50_overhead_ms} ms): forwarding alone, the floor`,
          `  hub vs bare    ${figures.hub_vs_bare}`,
          `  CPU per send   sandbox Graph ${figures.graph_cpu_us_per_send} µs, hub ${figures.hub_cpu_us_per_send} µs, bare proxy ${figures.bare_cpu_us_per_send} µs, load generator ${figures.load_cpu_us_per_send} µs, PostgreSQL ${figures.postgres_cpu_us_per_send} µs (each process's user + system time over its throughput phase)`,
          `  CPU ceiling    the cores allow at most ${figures.cpu_ceiling} of direct through the hub, ${figures.bare_cpu_ceiling} through the bare proxy (all four processes' CPU per send in that phase)`,
          JSON.stringify(figures),
          '',
        ].join('\n'),
      );
    } finally {
      bareProcess?.kill();
      await proxyHub.stop();
      await graphHub.stop();
    }
  });
}
