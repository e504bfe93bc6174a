import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../support/processes.ts';

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
}

const compose = parse(readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  configs: Record<string, { content: string }>;
};
const { services } = compose;

/** No container engine runs here: this checks the compose file's shape against the image it runs. */
describe('compose.yaml', () => {
  it('runs a one-off migration, then 2 API replicas without a worker and 2 worker replicas', () => {
    expect(services.migrate!.command).toEqual(['node', 'server/cli/main.ts', 'migrate']);
    expect(services.api!.command).toEqual(['node', 'server/cli/main.ts', 'serve']);
    expect(services.api!.environment).toMatchObject({ NODE_ENV: 'production', WORKER_ENABLED: 'false' });
    expect(services.api!.deploy?.replicas).toBe(2);
    expect(services.worker!.command).toEqual(['node', 'server/cli/main.ts', 'worker']);
    expect(services.worker!.deploy?.replicas).toBe(2);
    for (const name of ['api', 'worker'])
      expect(services[name]!.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    expect(services.migrate!.depends_on?.postgres?.condition).toBe('service_healthy');
  });

  it('runs files that the image contains, against the compose PostgreSQL', () => {
    for (const service of Object.values(services)) {
      const script = service.command?.[1];
      if (script) expect(existsSync(path.join(ROOT, script)), script).toBe(true);
    }
    expect(services.api!.environment?.DATABASE_URL).toMatch(/@postgres:5432\//);
  });

  it('has an optional Prometheus profile scraping /metrics of every API and worker replica', () => {
    expect(services.prometheus!.profiles).toEqual(['metrics']);
    for (const name of ['api', 'worker', 'migrate'])
      expect(services[name]!.environment).toMatchObject({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' });
    const scrape = parse(compose.configs.prometheus!.content) as {
      scrape_configs: { dns_sd_configs: { names: string[]; port: number }[] }[];
    };
    expect(scrape.scrape_configs[0]!.dns_sd_configs[0]).toMatchObject({
      names: ['api', 'worker'],
      port: 9464,
    });
  });
});
