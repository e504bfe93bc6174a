import { hkdfSync } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { PartnerTokenCache } from './auth/partner-tokens.ts';
import { type Clock, systemClock } from './clock.ts';
import { resolveHubSecret } from './config/data-dir.ts';
import type { HubConfig } from './config/env.ts';
import { SecretBox } from './crypto/secret-box.ts';
import { CallbackQueryClient } from './db/callback-query-client.ts';
import { acquireEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded-postgres.ts';
import { createOrm } from './db/orm.ts';
import type { Logger } from './logger.ts';
import { GraphClient } from './meta/graph-client.ts';
import { type MetaApp, resolveMetaApp } from './meta/meta-app.ts';
import { OutboundLog } from './modules/messages/outbound-log.ts';
import { RateLimits } from './modules/rate-limits/rate-limits.ts';
import { WebhookEngine } from './modules/webhooks/delivery/engine.ts';
import { DEFAULT_RETRY_POLICY } from './modules/webhooks/delivery/retry-schedule.ts';
import { HubMetrics } from './observability/metrics.ts';
import { createPaymentGateway, type PaymentGateway } from './payments/payment-gateway.ts';
import { closeStep } from './process/close-step.ts';
import { targetPolicyOf } from './security/ssrf-guard.ts';
import { type UrlPolicy, urlPolicyFor } from './security/url-policy.ts';

export type WorkerStatus = 'running' | 'stopped' | 'disabled';

/**
 * The one dependency container. Every process (server, worker, CLI, tests, benchmarks) opens one
 * hub; adapters (REST, tRPC, hosted pages, job tasks, CLI commands) hand it, or the part a
 * service declares it needs, to the services. Policies derived from the config (URL policy,
 * retry policy, session secret, messaging address) are resolved here once. No module-level
 * singletons.
 */
export interface Hub {
  config: HubConfig;
  logger: Logger;
  /** The system clock; tests hand in a movable one. */
  clock: Clock;
  databaseUrl: string;
  embedded: EmbeddedPostgres | undefined;
  orm: MikroORM;
  secretBox: SecretBox;
  meta: MetaApp;
  /** Meta's Graph API, or the sandbox's emulator of it. */
  graph: GraphClient;
  /** Stripe, or the Stripe sandbox; undefined when billing is not configured (docs/billing.md). */
  payments: PaymentGateway | undefined;
  /** A small node-postgres pool for libraries that take one (rate limits, sessions). */
  pgPool: pg.Pool;
  /** Signs session cookies; derived from HUB_SECRET. */
  sessionSecret: string;
  rateLimits: RateLimits;
  /** Logs what `/waba/messages` sent, in batches after the answers (the message log). */
  outboundLog: OutboundLog;
  partnerTokens: PartnerTokenCache;
  /** The webhook HTTP client and retry policy (used where deliveries are sent). */
  engine: WebhookEngine;
  /** Which partner URLs are accepted and where requests may go: resolved once, here. */
  urlPolicy: UrlPolicy;
  /** Base URL of the messaging API (`${PUBLIC_URL}/waba`), 360dialog's `address`. */
  messagingAddress: string;
  /** This hub's Prometheus registry and the instruments the adapters record into (`/metrics`). */
  metrics: HubMetrics;
  /** Whether this process's job worker runs (`/readyz`, the console). */
  workerStatus(): WorkerStatus;
  /** Called by the process that starts a worker, so `workerStatus` can report it. */
  attachWorker(worker: { readonly running: boolean }): void;
  close(): Promise<void>;
}

export interface HubOptions {
  /** Connections in MikroORM's pool. */
  poolMax?: number;
  clock?: Clock;
  /** Tests that drain jobs themselves report a running worker. */
  workerStatus?: () => WorkerStatus;
}

export async function openHub(config: HubConfig, logger: Logger, options: HubOptions = {}): Promise<Hub> {
  const embedded = config.databaseUrl
    ? undefined
    : await acquireEmbeddedPostgres(config.dataDir, (msg) => logger.info(msg));
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  try {
    const { secret, generated } = await resolveHubSecret(config);
    if (generated)
      logger.debug({ dataDir: config.dataDir }, 'using the development HUB_SECRET kept in the data dir');
    const metrics = new HubMetrics();
    const orm = await createOrm(databaseUrl, {
      poolMax: options.poolMax,
      onPoolCreated: (pool) => metrics.watchPool('orm', pool),
    });
    // rate-limiter-flexible and the session store speak to node-postgres directly; connections open on first use.
    const pgPool = new pg.Pool({
      connectionString: databaseUrl,
      max: 4,
      application_name: 'partner-hub',
      Client: CallbackQueryClient,
    });
    // An idle connection dropped by the server (restart, failover) must not crash the process;
    // the pool replaces it on next use.
    pgPool.on('error', (err) => logger.warn({ err }, 'idle database connection lost'));
    metrics.watchPool('aux', pgPool);
    const { retryScheduleSeconds, retryFloorSeconds, retryAfterMaxSeconds, ...webhookSettings } =
      config.webhooks;
    const urlPolicy = urlPolicyFor(config);
    const engine = new WebhookEngine(
      {
        ...webhookSettings,
        ...targetPolicyOf(urlPolicy),
      },
      {
        ...DEFAULT_RETRY_POLICY,
        scheduleSeconds: retryScheduleSeconds ?? DEFAULT_RETRY_POLICY.scheduleSeconds,
        floorSeconds: retryFloorSeconds,
        maxRetryAfterSeconds: retryAfterMaxSeconds,
      },
      metrics.deliveryObserver,
    );
    const meta = resolveMetaApp(config, secret);
    const graph = new GraphClient(meta, { observe: metrics.graphObserver });
    const rateLimits = new RateLimits(
      pgPool,
      { ...config.rateLimits, linkedDeviceSendsPerMinute: config.linkedDevices.sendPerMinute },
      config.authThrottles,
    );
    let worker: { readonly running: boolean } | undefined;
    const clock = options.clock ?? systemClock;
    const outboundLog = new OutboundLog({ orm, clock, logger });
    return {
      config,
      logger,
      clock,
      databaseUrl,
      embedded,
      orm,
      secretBox: new SecretBox([secret, ...config.previousHubSecrets]),
      meta,
      graph,
      payments: createPaymentGateway(config.payments),
      pgPool,
      sessionSecret: Buffer.from(hkdfSync('sha256', secret, 'partner-hub', 'session-cookie', 32)).toString(
        'base64url',
      ),
      rateLimits,
      outboundLog,
      partnerTokens: new PartnerTokenCache(orm),
      engine,
      urlPolicy,
      messagingAddress: `${config.publicUrl}/waba`,
      metrics,
      workerStatus:
        options.workerStatus ??
        (() => (!config.worker.enabled ? 'disabled' : worker?.running ? 'running' : 'stopped')),
      attachWorker(running) {
        worker = running;
      },
      async close() {
        // Each step bounded (closeStep): after the database went away a pool's end can wait on a
        // connection for good (seen under load in CI), and a shutdown must still finish.
        await closeStep(logger, 'webhook sender', () => engine.close());
        await closeStep(logger, 'Graph client', () => graph.close());
        // Budgets counted in memory since the last write; a failure here is a few uncounted requests.
        await closeStep(logger, 'rate-limit flush', () => rateLimits.flush().catch(() => {}));
        // Sends answered in the last 50 ms; flush() logs its own failure.
        await closeStep(logger, 'message log flush', () => outboundLog.flush());
        await closeStep(logger, 'database pool', () => pgPool.end());
        await closeStep(logger, 'ORM', () => orm.close(true));
        await closeStep(logger, 'embedded PostgreSQL', async () => embedded?.release());
      },
    };
  } catch (err) {
    await embedded?.release();
    throw err;
  }
}
