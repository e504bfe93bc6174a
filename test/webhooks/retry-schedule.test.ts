import { describe, expect, it } from 'vitest';
import {
  type AttemptOutcome,
  DEFAULT_RETRY_POLICY,
  nextRetryAt,
} from '../../server/modules/webhooks/delivery/retry-schedule.ts';

const now = new Date('2026-01-01T00:00:00Z');
const fail: AttemptOutcome = { status: 500, timedOut: false, retryAfterSeconds: null };
const mid = () => 0.5; // no jitter
const delay = (d: Date | null) => (d ? (d.getTime() - now.getTime()) / 1000 : null);

describe('retry schedule', () => {
  it('follows the Svix schedule and ends after the last step', () => {
    const delays = DEFAULT_RETRY_POLICY.scheduleSeconds.map((_, n) =>
      delay(nextRetryAt(now, n, fail, DEFAULT_RETRY_POLICY, mid)),
    );
    expect(delays).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(nextRetryAt(now, 8, fail, DEFAULT_RETRY_POLICY, mid)).toBeNull();
    const total = DEFAULT_RETRY_POLICY.scheduleSeconds.reduce((a, b) => a + b, 0);
    expect(total / 3600).toBeCloseTo(27.6, 1);
  });

  it('jitters by at most ±20 %', () => {
    expect(delay(nextRetryAt(now, 3, fail, DEFAULT_RETRY_POLICY, () => 0))).toBe(1440);
    expect(delay(nextRetryAt(now, 3, fail, DEFAULT_RETRY_POLICY, () => 0.999999))).toBeCloseTo(2160, 0);
  });

  const delayAfter = (n: number, outcome: Partial<AttemptOutcome>, policy = DEFAULT_RETRY_POLICY) =>
    delay(nextRetryAt(now, n, { ...fail, ...outcome }, policy, mid));

  it('honours Retry-After up to the cap, and never retries sooner than the schedule', () => {
    expect(delayAfter(1, { status: 503, retryAfterSeconds: 900 })).toBe(900);
    expect(delayAfter(1, { status: 429, retryAfterSeconds: 10 ** 7 })).toBe(86400);
    // A short Retry-After does not bring a later scheduled retry forward.
    expect(delayAfter(4, { status: 429, retryAfterSeconds: 60 })).toBe(7200);
    expect(delayAfter(1, { status: 429, retryAfterSeconds: 1 })).toBe(5);
    const capped = { ...DEFAULT_RETRY_POLICY, maxRetryAfterSeconds: 600 };
    expect(delayAfter(1, { status: 503, retryAfterSeconds: 3600 }, capped)).toBe(600);
  });

  it('keeps to the schedule, with its jitter, after 503s and timeouts unless a floor is configured', () => {
    expect(delayAfter(1, { status: 503 })).toBe(5);
    expect(delayAfter(1, { status: null, timedOut: true })).toBe(5);
    const jittered = new Set(
      Array.from({ length: 20 }, () => delay(nextRetryAt(now, 1, { ...fail, status: 503 }))),
    );
    expect(jittered.size).toBeGreaterThan(1);
    for (const d of jittered) expect(d! >= 4 && d! <= 6).toBe(true);
    const floored = { ...DEFAULT_RETRY_POLICY, floorSeconds: 60 };
    expect(delayAfter(1, { status: 503 }, floored)).toBe(60);
    expect(delayAfter(3, { status: 503 }, floored)).toBe(1800);
  });
});
