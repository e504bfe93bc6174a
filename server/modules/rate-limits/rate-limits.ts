import { createHash } from 'node:crypto';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { BatchedLimiter, UNSYNCED_SHARE } from './batched-limiter.ts';

/**
 * `reveal`: reading a channel's Meta secrets, budgeted per hour on its own. `auth_failure`:
 * failed API authentications per client address. The `login*` and `signup_ip` scopes guard
 * the hosted pages' password forms (see `hosted/auth-throttle.ts`); `signup_event` the
 * Embedded Signup outcomes their script reports. `coexistence_send`: messages per second of one
 * coexistence number (keyed by channel id), Meta's fixed throughput for numbers shared with the
 * WhatsApp Business app. `linked_device_send`: messages per minute of one linked-device number
 * (keyed by session id), which keeps it from looking like a bulk sender to WhatsApp.
 */
export type RateLimitScope =
  | 'read'
  | 'write'
  | 'reveal'
  | 'login'
  | 'auth_failure'
  | 'login_account'
  | 'login_ip'
  | 'login_global'
  | 'signup_ip'
  | 'signup_event'
  | 'coexistence_send'
  | 'linked_device_send';

/** Budgets of the hosted pages' password forms that depend on the deployment's size. */
export interface AuthThrottleLimits {
  loginPerIpPerHour: number;
  loginGlobalPerHour: number;
  signupPerIpPerHour: number;
}

export const DEFAULT_AUTH_THROTTLE_LIMITS: AuthThrottleLimits = {
  loginPerIpPerHour: 100,
  loginGlobalPerHour: 3000,
  signupPerIpPerHour: 20,
};

export interface RateLimitState {
  scope: RateLimitScope;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  windowSeconds: number;
  allowed: boolean;
}

/**
 * `login`: attempts per account and address, 10 per 15 minutes; `login_account`: per account
 * from any address, so a guesser cannot spread over many addresses.
 */
const WINDOW_SECONDS: Record<RateLimitScope, number> = {
  read: 60,
  write: 60,
  reveal: 3600,
  login: 900,
  auth_failure: 60,
  login_account: 3600,
  login_ip: 3600,
  login_global: 3600,
  signup_ip: 3600,
  signup_event: 600,
  coexistence_send: 1,
  linked_device_send: 60,
};
const LOGIN_ATTEMPTS = 10;
/** Embedded Signup outcomes a hosted page may report per address in 10 minutes. */
const SIGNUP_EVENTS_PER_WINDOW = 60;
const LOGIN_ATTEMPTS_PER_ACCOUNT = 50;
const DEFAULT_AUTH_FAILURES_PER_MINUTE = 30;
/** Meta's throughput for a coexistence number (messages/s); `RATE_LIMIT_COEXISTENCE_MPS`. */
export const DEFAULT_COEXISTENCE_MESSAGES_PER_SECOND = 20;
/** A linked-device number sending like a person, not a bulk sender (docs/linked-devices.md). */
export const DEFAULT_LINKED_DEVICE_SENDS_PER_MINUTE = 20;

/** A public method of rate-limiter-flexible's store limiters that its typings leave out. */
interface InMemoryBlocks {
  getInMemoryBlockMsBeforeExpire(key: string): number;
}

/**
 * Subjects longer than this, or with anything but printable ASCII, are stored as their SHA-256:
 * the key column is `varchar(255)` and PostgreSQL refuses NUL, and a subject may be user input.
 */
const MAX_PLAIN_SUBJECT = 64;

/** The key a subject is counted under: itself when short and plain, else `sha256:` + hex (never ambiguous: longer than any plain one). */
export function storedSubject(subject: string): string {
  if (subject.length <= MAX_PLAIN_SUBJECT && /^[\x21-\x7e]*$/.test(subject)) return subject;
  return `sha256:${createHash('sha256').update(subject, 'utf8').digest('hex')}`;
}

/** The table the limiter writes to; created by a migration, not at runtime. */
export const RATE_LIMIT_TABLE = 'rate_limits';

/** The budgets a partner's tokens share; each token may also be capped at a share of them. */
export type PartnerScope = 'read' | 'write' | 'reveal';
const PARTNER_SCOPES: readonly PartnerScope[] = ['read', 'write', 'reveal'];

/** Scopes spent on every partner request: counted in memory first and written in batches. */
const BATCHED_SCOPES: ReadonlySet<RateLimitScope> = new Set(['read', 'write']);

/**
 * Batching is worth its tolerance only when 1 % of the budget is at least one request: a
 * smaller budget (under 100 a window) is counted in the store on every request, exactly.
 */
const batches = (limit: number): boolean => limit * UNSYNCED_SHARE >= 1;

/** What `consumeFrom` needs of a limiter: rate-limiter-flexible's own, or the batching layer over it. */
interface Consumer {
  consume(key: string): Promise<RateLimiterRes>;
}

/**
 * Budgets counted in PostgreSQL so every API process shares them. Reads and writes are
 * separate budgets; they are spent on every partner request, so each process counts them in
 * memory and writes them to PostgreSQL in batches (`BatchedLimiter`: at most 1 % of a budget
 * unwritten per process, see there for the tolerance). The others are counted in the store
 * on each use, so they are exact however many processes spend them (`coexistence_send` must
 * be: Meta refuses the 21st message of a second, so the hub refuses it first).
 */
export class RateLimits {
  readonly #limiters: Record<RateLimitScope, RateLimiterPostgres>;
  readonly #consumers: Record<RateLimitScope, Consumer>;
  readonly #limits: Record<RateLimitScope, number>;
  /** Per-token caps inside the partner budgets; none when a token may spend all of its partner's. */
  readonly #tokenCaps: Partial<Record<PartnerScope, { limiter: Consumer; limit: number }>> = {};

  constructor(
    pool: pg.Pool,
    limits: {
      readPerMinute: number;
      writePerMinute: number;
      revealPerHour: number;
      tokenSharePercent?: number;
      authFailuresPerMinute?: number;
      coexistenceMessagesPerSecond?: number;
      linkedDeviceSendsPerMinute?: number;
    },
    auth: AuthThrottleLimits = DEFAULT_AUTH_THROTTLE_LIMITS,
  ) {
    this.#limits = {
      read: limits.readPerMinute,
      write: limits.writePerMinute,
      reveal: limits.revealPerHour,
      login: LOGIN_ATTEMPTS,
      auth_failure: limits.authFailuresPerMinute ?? DEFAULT_AUTH_FAILURES_PER_MINUTE,
      login_account: LOGIN_ATTEMPTS_PER_ACCOUNT,
      login_ip: auth.loginPerIpPerHour,
      login_global: auth.loginGlobalPerHour,
      signup_ip: auth.signupPerIpPerHour,
      signup_event: SIGNUP_EVENTS_PER_WINDOW,
      coexistence_send: limits.coexistenceMessagesPerSecond ?? DEFAULT_COEXISTENCE_MESSAGES_PER_SECOND,
      linked_device_send: limits.linkedDeviceSendsPerMinute ?? DEFAULT_LINKED_DEVICE_SENDS_PER_MINUTE,
    };
    const limiter = (scope: RateLimitScope) =>
      new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        keyPrefix: scope,
        points: this.#limits[scope],
        duration: WINDOW_SECONDS[scope],
        // A spent failure budget is remembered in memory until its window ends, so refusing an
        // address that keeps failing costs no query at all.
        ...(scope === 'auth_failure' ? { inMemoryBlockOnConsumed: this.#limits[scope] } : {}),
      });
    this.#limiters = {
      read: limiter('read'),
      write: limiter('write'),
      reveal: limiter('reveal'),
      login: limiter('login'),
      auth_failure: limiter('auth_failure'),
      login_account: limiter('login_account'),
      login_ip: limiter('login_ip'),
      login_global: limiter('login_global'),
      signup_ip: limiter('signup_ip'),
      signup_event: limiter('signup_event'),
      coexistence_send: limiter('coexistence_send'),
      linked_device_send: limiter('linked_device_send'),
    };
    this.#consumers = { ...this.#limiters };
    for (const scope of BATCHED_SCOPES) {
      if (batches(this.#limits[scope]))
        this.#consumers[scope] = new BatchedLimiter(this.#limiters[scope], this.#limits[scope]);
    }
    const share = limits.tokenSharePercent ?? 100;
    for (const scope of share < 100 ? PARTNER_SCOPES : []) {
      const limit = Math.max(1, Math.floor((this.#limits[scope] * share) / 100));
      const store = new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        keyPrefix: `token_${scope}`,
        points: limit,
        duration: WINDOW_SECONDS[scope],
      });
      this.#tokenCaps[scope] = {
        limit,
        limiter: BATCHED_SCOPES.has(scope) && batches(limit) ? new BatchedLimiter(store, limit) : store,
      };
    }
  }

  /**
   * Seconds until this process stops refusing the subject outright (0: not refused), from
   * memory only; only `auth_failure` remembers a spent budget.
   */
  blockedSeconds(subject: string, scope: RateLimitScope): number {
    const limiter = this.#limiters[scope] as RateLimiterPostgres & InMemoryBlocks;
    const ms = limiter.getInMemoryBlockMsBeforeExpire(limiter.getKey(storedSubject(subject)));
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  consume(subject: string, scope: RateLimitScope): Promise<RateLimitState> {
    return consumeFrom(this.#consumers[scope], subject, scope, this.#limits[scope]);
  }

  /** Writes the budgets counted in memory to the store now (before the pool closes). */
  async flush(): Promise<void> {
    const batched = [
      ...Object.values(this.#consumers),
      ...Object.values(this.#tokenCaps).map((c) => c.limiter),
    ];
    await Promise.all(batched.map((c) => (c instanceof BatchedLimiter ? c.flushAll() : undefined)));
  }

  /** Spends from a token's own cap; `undefined` when tokens are not capped below their partner's budget. */
  async consumeTokenCap(tokenId: string, scope: PartnerScope): Promise<RateLimitState | undefined> {
    const cap = this.#tokenCaps[scope];
    return cap && consumeFrom(cap.limiter, tokenId, scope, cap.limit);
  }
}

async function consumeFrom(
  limiter: Consumer,
  subject: string,
  scope: RateLimitScope,
  limit: number,
): Promise<RateLimitState> {
  try {
    return state(scope, limit, await limiter.consume(storedSubject(subject)), true);
  } catch (rejection) {
    // The limiter rejects with its result when over budget, and with an Error when the store fails.
    if (rejection instanceof RateLimiterRes) return state(scope, limit, rejection, false);
    throw rejection;
  }
}

function state(scope: RateLimitScope, limit: number, res: RateLimiterRes, allowed: boolean): RateLimitState {
  return {
    scope,
    limit,
    remaining: Math.max(0, res.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    windowSeconds: WINDOW_SECONDS[scope],
    allowed,
  };
}
