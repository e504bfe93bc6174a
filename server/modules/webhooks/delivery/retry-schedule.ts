/** Svix's default: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 28 h in all). */
export const DEFAULT_RETRY_SCHEDULE_SECONDS = [0, 5, 300, 1800, 7200, 18000, 36000, 36000] as const;

export interface RetryPolicy {
  /** Delay before attempt n+1, for n = 0 … length-1. Attempt 1 is `[0]`. */
  scheduleSeconds: readonly number[];
  /** ±fraction applied to every delay, so retries from one outage do not arrive together. */
  jitter: number;
  /** The least delay before any retry (`WEBHOOK_RETRY_FLOOR_SECONDS`); 0 means the schedule alone decides. */
  floorSeconds: number;
  /** A receiver's `Retry-After` is honoured up to this (`WEBHOOK_RETRY_AFTER_MAX_SECONDS`). */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  scheduleSeconds: DEFAULT_RETRY_SCHEDULE_SECONDS,
  jitter: 0.2,
  floorSeconds: 0,
  maxRetryAfterSeconds: 24 * 3600,
};

export interface AttemptOutcome {
  status: number | null;
  timedOut: boolean;
  retryAfterSeconds: number | null;
}

export const isSuccess = (o: AttemptOutcome) => o.status !== null && o.status >= 200 && o.status < 300;

/**
 * When to try again after `attemptsMade` failed attempts, or null when the schedule is used
 * up: the scheduled delay with its jitter, pushed back to a `Retry-After` the receiver sent
 * (clamped to the cap) and to the configured floor. `random` is injectable so tests can pin
 * the jitter.
 */
export function nextRetryAt(
  now: Date,
  attemptsMade: number,
  outcome: AttemptOutcome,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): Date | null {
  const scheduled = policy.scheduleSeconds[attemptsMade];
  if (scheduled === undefined) return null;
  let delay = scheduled * (1 + policy.jitter * (2 * random() - 1));
  if (outcome.retryAfterSeconds !== null)
    delay = Math.max(delay, Math.min(outcome.retryAfterSeconds, policy.maxRetryAfterSeconds));
  delay = Math.max(delay, policy.floorSeconds);
  return new Date(now.getTime() + Math.round(delay * 1000));
}
