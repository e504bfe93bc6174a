import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { useTestHub } from '../support/hub.ts';
import { childEnv, ROOT, startHub } from '../support/processes.ts';

const hub = useTestHub();
const TOKEN = 'process-metrics-token-0123456789';

async function scrape(url: string, token?: string) {
  const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, text: await res.text() };
}

describe('/metrics from real processes', () => {
  it('`npm start` with METRICS_PORT serves it on its own loopback listener, printed in the banner, and not on PORT', async () => {
    const running = await startHub({
      DATABASE_URL: hub.databaseUrl,
      HUB_SECRET: hub.deps.config.hubSecret!,
      METRICS_PORT: '0',
      METRICS_TOKEN: TOKEN,
    });
    try {
      const url = /metrics {4}(http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(running.output())?.[1];
      expect(url, running.output()).toBeDefined();
      expect((await scrape(url!)).status).toBe(401);
      await fetch(`${running.url}/livez`);
      const ok = await scrape(url!, TOKEN);
      expect(ok.status).toBe(200);
      expect(ok.text).toMatch(
        /^partner_hub_http_request_duration_seconds_count\{method="GET",route="\/livez",status="200"\} 1$/m,
      );
      expect(ok.text).toMatch(/^partner_hub_metrics_database_up 1$/m);
      expect((await scrape(`${running.url}/metrics`, TOKEN)).status).toBe(404);
    } finally {
      expect(await running.stop()).toBe(0);
    }
  });

  it('`hub worker` with METRICS_PORT serves its own metrics (it has no HTTP app)', async () => {
    const worker = spawn(process.execPath, ['server/cli/main.ts', 'worker'], {
      cwd: ROOT,
      env: childEnv({
        DATABASE_URL: hub.databaseUrl,
        HUB_SECRET: hub.deps.config.hubSecret!,
        METRICS_PORT: '0',
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
      }),
    });
    let output = '';
    // The CLI logs to stderr (stdout is for results).
    for (const stream of [worker.stdout, worker.stderr])
      stream.on('data', (c: Buffer) => {
        output += c.toString();
      });
    const exited = once(worker, 'exit');
    try {
      const deadline = Date.now() + 20_000;
      let url: string | undefined;
      while (!url && Date.now() < deadline) {
        url = /"url":"(http:\/\/127\.0\.0\.1:\d+\/metrics)"/.exec(output)?.[1];
        if (!url) await new Promise((r) => setTimeout(r, 50));
      }
      expect(url, output).toBeDefined();
      const res = await scrape(url!);
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/^partner_hub_jobs\{state="due"\} \d+$/m);
      expect(res.text).toMatch(/^process_resident_memory_bytes \d+/m);
    } finally {
      worker.kill('SIGTERM');
    }
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
