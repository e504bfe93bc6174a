import path from 'node:path';
import { z } from 'zod';
import type { AuthThrottleLimits } from '../modules/rate-limits/rate-limits.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * A bounded number, the one shape of every numeric setting: `what` names the unit in the error
 * ("must be seconds from 0 to 86400"), unless `message` replaces it; whole numbers unless `fractions`.
 */
function bounded(
  what: string,
  min: number,
  max: number,
  { fractions = false, message = `must be ${what} from ${min} to ${max}` } = {},
) {
  const number = z.coerce.number({ error: message });
  return (fractions ? number : number.int(message)).min(min, message).max(max, message);
}

/** A retention setting: a number of days from 1 to 3650 (fractions allowed). */
const retentionDays = (fallback: number) =>
  bounded('a number of days', 1, 3650, { fractions: true }).default(fallback);
const milliseconds = (min: number, max: number) => bounded('milliseconds', min, max);
/** A budget of requests: a whole number from 1 to `max`. */
const wholeCount = (max: number) => bounded('a whole number of requests', 1, max);

const EnvSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'test', 'production'], { error: 'must be development, test or production' })
      .default('development'),
    PORT: bounded('a port number', 0, 65535, { message: 'must be a port number' }).default(8082),
    PUBLIC_URL: optionalString.pipe(httpUrl.optional()),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// connection URL')
        .optional(),
    ),
    HUB_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    HUB_SECRET_PREVIOUS: optionalString,
    HUB_DATA_DIR: optionalString,
    META_APP_ID: optionalString,
    META_APP_SECRET: optionalString,
    META_CONFIG_ID: optionalString,
    META_GRAPH_URL: optionalString.pipe(httpUrl.optional()),
    META_GRAPH_VERSION: z
      .string()
      .regex(/^v\d+\.\d+$/, 'must be a Graph API version such as v23.0')
      .default('v23.0'),
    META_VERIFY_TOKEN: optionalString,
    META_MODE: optionalString.pipe(
      z.enum(['sandbox', 'production'], { error: 'must be sandbox or production' }).optional(),
    ),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
    LOG_FORMAT: z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).optional(),
    WORKER_ENABLED: booleanFlag.default(true),
    WORKER_CONCURRENCY: bounded('an integer', 1, 200).default(10),
    ALLOW_LOCALHOST_URLS: booleanFlag.optional(),
    RATE_LIMIT_READ_PER_MINUTE: wholeCount(1_000_000).default(1200),
    RATE_LIMIT_WRITE_PER_MINUTE: wholeCount(1_000_000).default(300),
    RATE_LIMIT_REVEAL_PER_HOUR: wholeCount(100_000).default(60),
    RATE_LIMIT_TOKEN_SHARE_PERCENT: bounded('a whole percentage', 1, 100).default(100),
    PARTNER_TOKENS_MAX: bounded('a whole number of tokens', 1, 1000).default(10),
    RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: wholeCount(1_000_000).default(30),
    RATE_LIMIT_COEXISTENCE_MPS: bounded('a whole number of messages per second', 1, 10_000).default(20),
    HTTP_HEADERS_TIMEOUT_MS: milliseconds(1000, 600_000).default(20_000),
    HTTP_REQUEST_TIMEOUT_MS: milliseconds(1000, 3_600_000).default(60_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: milliseconds(0, 600_000).default(5_000),
    HTTP_MAX_CONNECTIONS: bounded('a whole number', 1, 1_000_000).default(1000),
    RATE_LIMIT_LOGIN_PER_IP_PER_HOUR: wholeCount(1_000_000).default(100),
    RATE_LIMIT_LOGIN_GLOBAL_PER_HOUR: wholeCount(10_000_000).default(3000),
    RATE_LIMIT_SIGNUP_PER_IP_PER_HOUR: wholeCount(1_000_000).default(20),
    WEBHOOK_TIMEOUT_MS: milliseconds(100, 120_000).default(15_000),
    WEBHOOK_DISABLE_AFTER_DAYS: bounded('a number of days', 0.001, 365, { fractions: true }).default(5),
    /** Direct Payment: days a client may stay unpaid after a failed payment before its channels stop sending. */
    BILLING_GRACE_DAYS: bounded('a number of days', 0, 365, { fractions: true }).default(7),
    WEBHOOK_RETRY_SCHEDULE: optionalString.pipe(
      z
        .string()
        .regex(
          /^\d+(,\d+){0,29}$/,
          'must be comma-separated seconds, e.g. 0,5,300,1800,7200,18000,36000,36000',
        )
        .optional(),
    ),
    WEBHOOK_RETRY_FLOOR_SECONDS: bounded('seconds', 0, 86_400).default(0),
    WEBHOOK_RETRY_AFTER_MAX_SECONDS: bounded('seconds', 0, 604_800).default(86_400),
    WEBHOOK_MANUAL_RESENDS_MAX: bounded('a whole number of resends', 1, 1000).default(10),
    EVENT_RETENTION_DAYS: retentionDays(30),
    META_WEBHOOK_RETENTION_DAYS: retentionDays(7),
    META_WEBHOOK_UNROUTED_RETENTION_DAYS: retentionDays(30),
    AUDIT_LOG_RETENTION_DAYS: retentionDays(365),
    ONBOARDING_SESSION_RETENTION_DAYS: retentionDays(30),
    CREDENTIAL_RETENTION_DAYS: retentionDays(30),
    SANDBOX_RETENTION_DAYS: retentionDays(7),
    SANDBOX_THROUGHPUT: booleanFlag.default(true),
    SANDBOX_THROUGHPUT_MPS: bounded('a whole number of messages per second', 1, 100_000).default(80),
    SANDBOX_THROUGHPUT_COEXISTENCE_MPS: bounded('a whole number of messages per second', 1, 100_000).default(
      20,
    ),
    WORKER_DEAD_AFTER_SECONDS: bounded('seconds', 2, 3600).default(20),
    LINKED_DEVICES_ENABLED: booleanFlag.default(false),
    LINKED_DEVICE_LEASE_SECONDS: bounded('seconds', 5, 600).default(30),
    LINKED_DEVICE_SESSIONS_PER_WORKER: bounded('a whole number of sessions', 1, 10_000).default(200),
    LINKED_DEVICE_PROBE_SECONDS: bounded('seconds', 5, 3600).default(60),
    LINKED_DEVICE_SEND_PER_MINUTE: bounded('a whole number of messages', 1, 600).default(20),
    LINKED_DEVICE_PAIRING_PER_CLIENT: bounded('a whole number of pairings', 1, 1_000).default(3),
    WEBHOOK_CONCURRENCY_PER_ENDPOINT: bounded('an integer', 1, 1000).default(16),
    TRUST_PROXY: optionalString.pipe(
      z
        .string()
        .regex(
          /^(true|false|loopback|linklocal|uniquelocal|\d+|[0-9a-fA-F.:/, ]+)$/,
          'must be true, false, a hop count, loopback/linklocal/uniquelocal, or addresses/subnets',
        )
        .optional(),
    ),
    SHUTDOWN_TIMEOUT_MS: milliseconds(0, 600_000).default(10_000),
    MIGRATE_ON_START: booleanFlag.optional(),
    METRICS_PORT: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      bounded('a port number', 0, 65535, { message: 'must be a port number' }).optional(),
    ),
    METRICS_HOST: optionalString,
    METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    OPERATOR_TOKEN: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    STRIPE_SECRET_KEY: optionalString.pipe(
      z
        .string()
        .regex(/^(sk|rk)_\S+$/, 'must be a Stripe secret key (sk_…)')
        .optional(),
    ),
    STRIPE_PUBLISHABLE_KEY: optionalString.pipe(
      z
        .string()
        .regex(/^pk_\S+$/, 'must be a Stripe publishable key (pk_…)')
        .optional(),
    ),
    STRIPE_WEBHOOK_SECRET: optionalString.pipe(
      z
        .string()
        .regex(/^whsec_\S+$/, 'must be a Stripe webhook signing secret (whsec_…)')
        .optional(),
    ),
    STRIPE_API_URL: optionalString.pipe(httpUrl.optional()),
    STRIPE_JS_URL: optionalString.pipe(httpUrl.optional()),
    STRIPE_SANDBOX_WEBHOOK_URL: optionalString.pipe(httpUrl.optional()),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.HUB_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['HUB_SECRET'], message: 'is required when NODE_ENV=production' });
    }
    // Half a Meta app is a misconfiguration, not a request for sandbox mode.
    if (env.META_MODE === 'production' && !env.META_APP_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['META_APP_ID'],
        message: 'is required when META_MODE=production',
      });
    }
    // The sandbox serves unauthenticated /sandbox and /demo routes: a production hub runs it only
    // when the operator asks for it, never because a Meta app was forgotten.
    if (env.NODE_ENV === 'production' && !env.META_APP_ID && env.META_MODE !== 'sandbox') {
      ctx.addIssue({
        code: 'custom',
        path: ['META_APP_ID'],
        message: 'is required when NODE_ENV=production (or set META_MODE=sandbox to run the Meta sandbox)',
      });
    }
    // Links, callbacks and cookies carry PUBLIC_URL: in production they must not go out over
    // plain http (TLS may end at a proxy in front of the hub; see TRUST_PROXY).
    if (env.NODE_ENV === 'production' && !isSecureOrigin(env.PUBLIC_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'must be an https:// URL (or a loopback http:// one) when NODE_ENV=production',
      });
    }
    // Node refuses a server whose headers may take longer than the whole request.
    if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['HTTP_HEADERS_TIMEOUT_MS'],
        message: 'must not exceed HTTP_REQUEST_TIMEOUT_MS',
      });
    }
    if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
      ctx.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: 'must differ from PORT' });
    }
    if (env.METRICS_HOST && env.METRICS_PORT === undefined) {
      ctx.addIssue({ code: 'custom', path: ['METRICS_HOST'], message: 'needs METRICS_PORT' });
    }
    // Like a half Meta app: some Stripe keys without the others is a mistake, not "billing off".
    const stripeKeys = ['STRIPE_SECRET_KEY', 'STRIPE_PUBLISHABLE_KEY', 'STRIPE_WEBHOOK_SECRET'] as const;
    const stripeMissing = stripeKeys.filter((key) => !env[key]);
    if (stripeMissing.length > 0 && stripeMissing.length < stripeKeys.length) {
      const given = stripeKeys.find((key) => env[key])!;
      ctx.addIssue({
        code: 'custom',
        path: [stripeMissing[0]!],
        message: `is required when ${given} is set`,
      });
    }
    if (env.META_APP_ID && (!env.META_APP_SECRET || !env.META_CONFIG_ID)) {
      const missing = env.META_APP_SECRET ? 'META_CONFIG_ID' : 'META_APP_SECRET';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required when META_APP_ID is set' });
    }
  });

const SECRET_VARIABLES = new Set([
  'HUB_SECRET',
  'HUB_SECRET_PREVIOUS',
  'META_APP_SECRET',
  'META_VERIFY_TOKEN',
  'DATABASE_URL',
  'METRICS_TOKEN',
  'OPERATOR_TOKEN',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
]);

export interface Retention {
  /** Events, with their deliveries and attempts. */
  eventsMs: number;
  /** Raw Meta payloads that were routed. */
  metaWebhooksMs: number;
  /** Raw Meta payloads that could not be routed (kept longer for an operator to look at). */
  unroutedMetaWebhooksMs: number;
  auditLogsMs: number;
  /** Completed, failed, cancelled and expired onboarding sessions, from when they finished. */
  onboardingSessionsMs: number;
  /** Partner tokens and channel API keys, from when they were revoked or expired. */
  credentialsMs: number;
  /** The Meta emulator's `sandbox.*` rows. */
  sandboxMs: number;
}

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface HttpLimits {
  /** Time for a client to send the request line and headers. */
  headersTimeoutMs: number;
  /** Time for a client to send the whole request, body included. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Connections beyond this are closed on accept. */
  maxConnections: number;
}

export interface HubConfig {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  publicUrl: string;
  /** Unset means: run the embedded PostgreSQL kept in `dataDir`. */
  databaseUrl: string | undefined;
  /** Unset outside production means: generate one and keep it in `dataDir`. */
  hubSecret: string | undefined;
  /** Retired HUB_SECRETs, still accepted for decryption until `secrets reencrypt` has run. */
  previousHubSecrets: string[];
  dataDir: string;
  logLevel: LogLevel;
  /** `json`, `pretty` (pino-pretty), or unset: pretty on a terminal outside production, JSON otherwise. */
  logFormat: 'json' | 'pretty' | undefined;
  meta: {
    /** `sandbox` when META_APP_ID is unset or META_MODE=sandbox: Graph calls go to the built-in emulator. */
    mode: 'sandbox' | 'production';
    appId: string | undefined;
    appSecret: string | undefined;
    configId: string | undefined;
    /** Graph API origin; unset means graph.facebook.com (production) or the emulator (sandbox). */
    graphUrl: string | undefined;
    graphVersion: string;
    /** The verify token set in the Meta app's webhook settings; unset means derived from HUB_SECRET. */
    verifyToken: string | undefined;
  };
  worker: {
    enabled: boolean;
    concurrency: number;
    /** A worker pool that has not checked in for this long is dead: its jobs are released. */
    deadAfterMs: number;
  };
  /**
   * Linked-device channels (docs/linked-devices.md): off unless an operator enables them; off,
   * no route, procedure or job of theirs exists.
   */
  linkedDevices: {
    enabled: boolean;
    /** A session's owner renews its lease every third of this; another worker takes it after. */
    leaseMs: number;
    /** Sessions one worker process holds at most. */
    sessionsPerWorker: number;
    /** How often a connected session is probed (liveness). */
    probeIntervalMs: number;
    /** Messages one linked number may send per minute, cluster-wide. */
    sendPerMinute: number;
    /** Sessions one client may have pairing (wanted active, never connected) at once. */
    pairingPerClient: number;
  };
  /** Accept http://localhost-style URLs from partners (development, tests, the local demo). */
  allowLocalhostUrls: boolean;
  /**
   * Per-partner budgets; each token may spend at most `tokenSharePercent` of each, so one
   * runaway integration cannot starve the partner's others.
   */
  rateLimits: {
    readPerMinute: number;
    writePerMinute: number;
    revealPerHour: number;
    tokenSharePercent: number;
    /** Failed authentications (REST, tRPC, /waba) per client address before it is refused outright. */
    authFailuresPerMinute: number;
    /**
     * Sends (`POST /waba/messages`) per second of one coexistence number, counted across every
     * process: Meta's fixed 20 messages/s for numbers shared with the WhatsApp Business app.
     */
    coexistenceMessagesPerSecond: number;
  };
  /** Tokens that work at once per partner (superseded ones in their grace window count). */
  maxLiveTokensPerPartner: number;
  /** Bounds on every connection to the HTTP server, so slow or idle clients cannot hold it. */
  http: HttpLimits;
  /** The hosted pages' password forms: logins per address and overall, sign-ups per address. */
  authThrottles: AuthThrottleLimits;
  webhooks: {
    timeoutMs: number;
    disableAfterMs: number;
    concurrencyPerEndpoint: number;
    /** Delay before each attempt, in seconds; unset means the Svix default. */
    retryScheduleSeconds: number[] | undefined;
    /** The least delay before a retry, whatever the schedule or a Retry-After says. */
    retryFloorSeconds: number;
    /** A receiver's Retry-After is honoured up to this. */
    retryAfterMaxSeconds: number;
    /** Manual resends allowed per delivery: each is an outbound request and an attempt row. */
    maxManualResends: number;
  };
  /** How long history is kept before the hourly prune job deletes it (README: Retention). */
  retention: Retention;
  /**
   * The Meta sandbox's emulated throughput limits (per process, in memory): messages/s per
   * number (130429) and the (business, consumer) pair rate (131056). Off: unlimited.
   */
  sandboxThroughput: {
    enabled: boolean;
    messagesPerSecond: number;
    coexistenceMessagesPerSecond: number;
  };
  shutdownTimeoutMs: number;
  /** `serve` applies pending migrations at boot; otherwise it refuses to start until they are applied. */
  migrateOnStart: boolean;
  /** Express's `trust proxy`: which proxies' X-Forwarded-* to believe (client IPs, https for secure cookies). */
  trustProxy: boolean | number | string;
  /**
   * `/metrics` (Prometheus): on its own listener at `host:port` when `port` is set (the main app
   * does not serve it then), else on the main app when `token` is set; neither: not exposed.
   * When set, `token` is required as a bearer token wherever `/metrics` is served.
   */
  metrics: {
    port: number | undefined;
    host: string;
    token: string | undefined;
  };
  /**
   * Billing through Stripe. In sandbox mode (the Meta mode) unset keys are the sandbox's fixed
   * test keys and the API is the hub's own `/sandbox/stripe`; in production without keys,
   * billing is off (`secretKey` undefined). See server/payments/payment-gateway.ts.
   */
  payments: PaymentsConfig;
  billing: {
    /** How long a direct-paid client may stay unpaid after a failed payment before sending stops. */
    graceMs: number;
  };
  /** The operator API's bearer token; unset: `/api/operator` does not exist. */
  operatorToken: string | undefined;
}

export interface PaymentsConfig {
  mode: 'sandbox' | 'production';
  secretKey: string | undefined;
  publishableKey: string | undefined;
  webhookSecret: string | undefined;
  /** Stripe API origin (and path, for the sandbox) without `/v1`. */
  apiUrl: string;
  /** Where pages load Stripe.js from. */
  jsUrl: string;
  /** Where the Stripe sandbox sends its signed webhooks: the hub's `/stripe/webhook` unless set. */
  sandboxWebhookUrl: string;
}

/** The Stripe sandbox's keys, used in sandbox mode when none are configured (docs/sandbox.md). */
export const SANDBOX_STRIPE_KEYS = {
  secretKey: 'sk_test_sandbox_partner_hub',
  publishableKey: 'pk_test_sandbox_partner_hub',
  webhookSecret: 'whsec_sandbox_partner_hub',
} as const;

function paymentsConfig(e: z.infer<typeof EnvSchema>, mode: 'sandbox' | 'production', publicUrl: string) {
  const sandbox = mode === 'sandbox';
  const defaults = sandbox && !e.STRIPE_SECRET_KEY ? SANDBOX_STRIPE_KEYS : undefined;
  return {
    mode,
    secretKey: e.STRIPE_SECRET_KEY ?? defaults?.secretKey,
    publishableKey: e.STRIPE_PUBLISHABLE_KEY ?? defaults?.publishableKey,
    webhookSecret: e.STRIPE_WEBHOOK_SECRET ?? defaults?.webhookSecret,
    apiUrl: (
      e.STRIPE_API_URL ?? (sandbox ? `${publicUrl}/sandbox/stripe` : 'https://api.stripe.com')
    ).replace(/\/+$/, ''),
    jsUrl: e.STRIPE_JS_URL ?? (sandbox ? `${publicUrl}/sandbox/stripe/js/v3` : 'https://js.stripe.com/v3'),
    sandboxWebhookUrl: e.STRIPE_SANDBOX_WEBHOOK_URL ?? `${publicUrl}/stripe/webhook`,
  } satisfies PaymentsConfig;
}

const daysToMs = (days: number) => Math.round(days * 24 * 3600 * 1000);

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** https, or http on a loopback host (a browser's "potentially trustworthy" origins). */
function isSecureOrigin(url: string | undefined): boolean {
  if (!url) return false;
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once at boot; the first bad variable becomes a one-line error. */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): HubConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const value = env[variable];
    // Secrets and connection strings (which carry passwords) are never echoed back.
    const shown =
      value === undefined || SECRET_VARIABLES.has(variable) ? '' : ` (got ${JSON.stringify(value)})`;
    throw new ConfigError(`Invalid configuration: ${variable} ${issue.message}${shown}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const metaMode = e.META_MODE ?? (e.META_APP_ID ? 'production' : 'sandbox');
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    hubSecret: e.HUB_SECRET,
    previousHubSecrets:
      e.HUB_SECRET_PREVIOUS?.split(',')
        .map((s) => s.trim())
        .filter(Boolean) ?? [],
    dataDir: path.resolve(cwd, e.HUB_DATA_DIR ?? '.data'),
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'warn' : 'info'),
    logFormat: e.LOG_FORMAT,
    meta: {
      mode: metaMode,
      appId: e.META_APP_ID,
      appSecret: e.META_APP_SECRET,
      configId: e.META_CONFIG_ID,
      graphUrl: e.META_GRAPH_URL?.replace(/\/+$/, ''),
      graphVersion: e.META_GRAPH_VERSION,
      verifyToken: e.META_VERIFY_TOKEN,
    },
    worker: {
      enabled: e.WORKER_ENABLED,
      concurrency: e.WORKER_CONCURRENCY,
      deadAfterMs: e.WORKER_DEAD_AFTER_SECONDS * 1000,
    },
    linkedDevices: {
      enabled: e.LINKED_DEVICES_ENABLED,
      leaseMs: e.LINKED_DEVICE_LEASE_SECONDS * 1000,
      sessionsPerWorker: e.LINKED_DEVICE_SESSIONS_PER_WORKER,
      probeIntervalMs: e.LINKED_DEVICE_PROBE_SECONDS * 1000,
      sendPerMinute: e.LINKED_DEVICE_SEND_PER_MINUTE,
      pairingPerClient: e.LINKED_DEVICE_PAIRING_PER_CLIENT,
    },
    allowLocalhostUrls: e.ALLOW_LOCALHOST_URLS ?? e.NODE_ENV !== 'production',
    rateLimits: {
      readPerMinute: e.RATE_LIMIT_READ_PER_MINUTE,
      writePerMinute: e.RATE_LIMIT_WRITE_PER_MINUTE,
      revealPerHour: e.RATE_LIMIT_REVEAL_PER_HOUR,
      tokenSharePercent: e.RATE_LIMIT_TOKEN_SHARE_PERCENT,
      authFailuresPerMinute: e.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE,
      coexistenceMessagesPerSecond: e.RATE_LIMIT_COEXISTENCE_MPS,
    },
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
    },
    maxLiveTokensPerPartner: e.PARTNER_TOKENS_MAX,
    authThrottles: {
      loginPerIpPerHour: e.RATE_LIMIT_LOGIN_PER_IP_PER_HOUR,
      loginGlobalPerHour: e.RATE_LIMIT_LOGIN_GLOBAL_PER_HOUR,
      signupPerIpPerHour: e.RATE_LIMIT_SIGNUP_PER_IP_PER_HOUR,
    },
    webhooks: {
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      disableAfterMs: Math.round(e.WEBHOOK_DISABLE_AFTER_DAYS * 24 * 3600 * 1000),
      concurrencyPerEndpoint: e.WEBHOOK_CONCURRENCY_PER_ENDPOINT,
      retryScheduleSeconds: e.WEBHOOK_RETRY_SCHEDULE?.split(',').map(Number),
      retryFloorSeconds: e.WEBHOOK_RETRY_FLOOR_SECONDS,
      retryAfterMaxSeconds: e.WEBHOOK_RETRY_AFTER_MAX_SECONDS,
      maxManualResends: e.WEBHOOK_MANUAL_RESENDS_MAX,
    },
    retention: {
      eventsMs: daysToMs(e.EVENT_RETENTION_DAYS),
      metaWebhooksMs: daysToMs(e.META_WEBHOOK_RETENTION_DAYS),
      unroutedMetaWebhooksMs: daysToMs(e.META_WEBHOOK_UNROUTED_RETENTION_DAYS),
      auditLogsMs: daysToMs(e.AUDIT_LOG_RETENTION_DAYS),
      onboardingSessionsMs: daysToMs(e.ONBOARDING_SESSION_RETENTION_DAYS),
      credentialsMs: daysToMs(e.CREDENTIAL_RETENTION_DAYS),
      sandboxMs: daysToMs(e.SANDBOX_RETENTION_DAYS),
    },
    sandboxThroughput: {
      enabled: e.SANDBOX_THROUGHPUT,
      messagesPerSecond: e.SANDBOX_THROUGHPUT_MPS,
      coexistenceMessagesPerSecond: e.SANDBOX_THROUGHPUT_COEXISTENCE_MPS,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    // Production replicas must not race to migrate on boot: an operator runs `partner-hub migrate` first.
    migrateOnStart: e.MIGRATE_ON_START ?? e.NODE_ENV !== 'production',
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    metrics: { port: e.METRICS_PORT, host: e.METRICS_HOST ?? '127.0.0.1', token: e.METRICS_TOKEN },
    payments: paymentsConfig(e, metaMode, publicUrl),
    billing: { graceMs: daysToMs(e.BILLING_GRACE_DAYS) },
    operatorToken: e.OPERATOR_TOKEN,
  };
}
