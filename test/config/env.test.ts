import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../server/config/env.ts';
import { resolveMetaApp } from '../../server/meta/meta-app.ts';

const cwd = '/srv/hub';

function errorFor(env: Record<string, string>): string {
  try {
    parseConfig(env, cwd);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('configuration', () => {
  it('has working defaults for development', () => {
    const config = parseConfig({}, cwd);
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 8082,
      publicUrl: 'http://localhost:8082',
      databaseUrl: undefined,
      hubSecret: undefined,
      dataDir: '/srv/hub/.data',
      logLevel: 'info',
      worker: { enabled: true, concurrency: 10 },
    });
    expect(config.meta.mode).toBe('sandbox');
  });

  it('keeps history for documented default periods, each configurable in days', () => {
    const days = (n: number) => n * 24 * 3600 * 1000;
    expect(parseConfig({}, cwd).retention).toEqual({
      eventsMs: days(30),
      metaWebhooksMs: days(7),
      unroutedMetaWebhooksMs: days(30),
      auditLogsMs: days(365),
      onboardingSessionsMs: days(30),
      credentialsMs: days(30),
      sandboxMs: days(7),
    });
    expect(parseConfig({ AUDIT_LOG_RETENTION_DAYS: '90' }, cwd).retention.auditLogsMs).toBe(days(90));
    expect(errorFor({ SANDBOX_RETENTION_DAYS: '0' })).toBe(
      'Invalid configuration: SANDBOX_RETENTION_DAYS must be a number of days from 1 to 3650 (got "0")',
    );
  });

  it('derives PUBLIC_URL from PORT and strips a trailing slash from an explicit one', () => {
    expect(parseConfig({ PORT: '9000' }, cwd).publicUrl).toBe('http://localhost:9000');
    expect(parseConfig({ PUBLIC_URL: 'https://hub.example.com/' }, cwd).publicUrl).toBe(
      'https://hub.example.com',
    );
  });

  it('switches to production Meta mode only with a complete Meta app', () => {
    const config = parseConfig({ META_APP_ID: '1', META_APP_SECRET: 's', META_CONFIG_ID: 'c' }, cwd);
    expect(config.meta).toMatchObject({ mode: 'production', appId: '1', configId: 'c' });
    expect(errorFor({ META_APP_ID: '1', META_CONFIG_ID: 'c' })).toBe(
      'Invalid configuration: META_APP_SECRET is required when META_APP_ID is set',
    );
  });

  it('chooses the sandbox explicitly with META_MODE, and resolves the sandbox app from HUB_SECRET', () => {
    const app = { META_APP_ID: '1', META_APP_SECRET: 's', META_CONFIG_ID: 'c' };
    expect(parseConfig({ ...app, META_MODE: 'sandbox' }, cwd).meta.mode).toBe('sandbox');
    expect(errorFor({ META_MODE: 'production' })).toBe(
      'Invalid configuration: META_APP_ID is required when META_MODE=production',
    );
    // Production never falls into the sandbox for want of a Meta app: it must be asked for.
    const production = { NODE_ENV: 'production', HUB_SECRET: 'x'.repeat(32) };
    expect(errorFor(production)).toBe(
      'Invalid configuration: META_APP_ID is required when NODE_ENV=production (or set META_MODE=sandbox to run the Meta sandbox)',
    );
    expect(errorFor({ ...production, ...app, PUBLIC_URL: 'http://hub.example.com' })).toBe(
      'Invalid configuration: PUBLIC_URL must be an https:// URL (or a loopback http:// one) when NODE_ENV=production (got "http://hub.example.com")',
    );
    expect(errorFor({ ...production, ...app })).toBe(
      'Invalid configuration: PUBLIC_URL must be an https:// URL (or a loopback http:// one) when NODE_ENV=production',
    );
    expect(parseConfig({ ...production, ...app, PUBLIC_URL: 'http://127.0.0.1:8082' }, cwd).publicUrl).toBe(
      'http://127.0.0.1:8082',
    );
    Object.assign(production, { PUBLIC_URL: 'https://hub.example.com' });
    expect(parseConfig({ ...production, META_MODE: 'sandbox' }, cwd).meta.mode).toBe('sandbox');
    expect(parseConfig({ ...production, ...app }, cwd).meta.mode).toBe('production');
    expect(errorFor({ META_GRAPH_VERSION: '23' })).toBe(
      'Invalid configuration: META_GRAPH_VERSION must be a Graph API version such as v23.0 (got "23")',
    );
    const sandbox = resolveMetaApp(parseConfig({ PUBLIC_URL: 'http://127.0.0.1:9000' }, cwd), 'x'.repeat(32));
    expect(sandbox).toMatchObject({
      mode: 'sandbox',
      graphUrl: 'http://127.0.0.1:9000/sandbox/graph',
      graphVersion: 'v23.0',
      callbackUrl: 'http://127.0.0.1:9000/meta/webhook',
    });
    // Derived, stable per HUB_SECRET, and different for another secret.
    const again = resolveMetaApp(parseConfig({}, cwd), 'x'.repeat(32));
    const other = resolveMetaApp(parseConfig({}, cwd), 'y'.repeat(32));
    expect(again.appSecret).toBe(sandbox.appSecret);
    expect(other.appSecret).not.toBe(sandbox.appSecret);
    const prod = resolveMetaApp(parseConfig(app, cwd), 'x'.repeat(32));
    expect(prod).toMatchObject({ appSecret: 's', graphUrl: 'https://graph.facebook.com' });
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT must be a port number (got "abc")'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT must be a port number (got "70000")'],
    [
      { NODE_ENV: 'prod' },
      'Invalid configuration: NODE_ENV must be development, test or production (got "prod")',
    ],
    [{ NODE_ENV: 'production' }, 'Invalid configuration: HUB_SECRET is required when NODE_ENV=production'],
    [
      { DATABASE_URL: 'mysql://root@db/hub' },
      'Invalid configuration: DATABASE_URL must be a postgres:// connection URL',
    ],
    [
      { PUBLIC_URL: 'ftp://hub.example' },
      'Invalid configuration: PUBLIC_URL must be an http(s) URL (got "ftp://hub.example")',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ],
    [
      { WORKER_ENABLED: 'maybe' },
      'Invalid configuration: WORKER_ENABLED must be true or false (got "maybe")',
    ],
    [
      { WORKER_CONCURRENCY: '0' },
      'Invalid configuration: WORKER_CONCURRENCY must be an integer from 1 to 200 (got "0")',
    ],
  ])('rejects %o with a one-line message naming the variable', (env, message) => {
    const error = errorFor(env);
    expect(error).toBe(message);
    expect(error).not.toContain('\n');
  });

  it('reads the partner token and abuse limits, with defaults', () => {
    const defaults = parseConfig({}, cwd);
    expect(defaults.rateLimits.tokenSharePercent).toBe(100);
    expect(defaults.maxLiveTokensPerPartner).toBe(10);
    expect(defaults.webhooks.maxManualResends).toBe(10);
    const set = parseConfig(
      { RATE_LIMIT_TOKEN_SHARE_PERCENT: '25', PARTNER_TOKENS_MAX: '3', WEBHOOK_MANUAL_RESENDS_MAX: '5' },
      cwd,
    );
    expect([
      set.rateLimits.tokenSharePercent,
      set.maxLiveTokensPerPartner,
      set.webhooks.maxManualResends,
    ]).toEqual([25, 3, 5]);
    expect(errorFor({ RATE_LIMIT_TOKEN_SHARE_PERCENT: '0' })).toBe(
      'Invalid configuration: RATE_LIMIT_TOKEN_SHARE_PERCENT must be a whole percentage from 1 to 100 (got "0")',
    );
    expect(errorFor({ PARTNER_TOKENS_MAX: 'lots' })).toMatch(
      /^Invalid configuration: PARTNER_TOKENS_MAX must be/,
    );
  });

  it('reads a custom webhook retry schedule', () => {
    expect(parseConfig({ WEBHOOK_RETRY_SCHEDULE: '0,10,60' }, cwd).webhooks.retryScheduleSeconds).toEqual([
      0, 10, 60,
    ]);
    expect(parseConfig({}, cwd).webhooks.retryScheduleSeconds).toBeUndefined();
    expect(errorFor({ WEBHOOK_RETRY_SCHEDULE: '0, ten' })).toMatch(
      /^Invalid configuration: WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds/,
    );
  });

  it('never echoes secrets or connection strings back', () => {
    expect(errorFor({ HUB_SECRET: 'short-secret' })).toBe(
      'Invalid configuration: HUB_SECRET must be at least 32 characters',
    );
    expect(errorFor({ DATABASE_URL: 'mysql://root:hunter2@db/hub' })).not.toContain('hunter2');
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ DATABASE_URL: '', HUB_SECRET: ' ', PUBLIC_URL: '' }, cwd)).toMatchObject({
      databaseUrl: undefined,
      hubSecret: undefined,
      publicUrl: 'http://localhost:8082',
    });
  });
});
