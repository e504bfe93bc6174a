import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, nextRetryAt } from '../../server/modules/webhooks/delivery/retry-schedule.ts';

const now = new Date('2026-01-01T00:00:00Z');
const fail = { status: 500, timedOut: false, retryAfterSeconds: null };
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

  it('honours Retry-After on 429 and 503 with a 60 s floor, clamped to a day', () => {
    expect(
      delay(
        nextRetryAt(
          now,
          1,
          { status: 429, timedOut: false, retryAfterSeconds: 5 },
          DEFAULT_RETRY_POLICY,
          mid,
        ),
      ),
    ).toBe(60);
    expect(
      delay(
        nextRetryAt(
          now,
          1,
          { status: 503, timedOut: false, retryAfterSeconds: 900 },
          DEFAULT_RETRY_POLICY,
          mid,
        ),
      ),
    ).toBe(900);
    expect(
      delay(
        nextRetryAt(
          now,
          1,
          { status: 429, timedOut: false, retryAfterSeconds: 10 ** 7 },
          DEFAULT_RETRY_POLICY,
          mid,
        ),
      ),
    ).toBe(86400);
    expect(
      delay(
        nextRetryAt(
          now,
          4,
          { status: 429, timedOut: false, retryAfterSeconds: 60 },
          DEFAULT_RETRY_POLICY,
          mid,
        ),
      ),
    ).toBe(7200);
  });

  it('gives timeouts a 60 s floor', () => {
    expect(
      delay(
        nextRetryAt(
          now,
          1,
          { status: null, timedOut: true, retryAfterSeconds: null },
          DEFAULT_RETRY_POLICY,
          mid,
        ),
      ),
    ).toBe(60);
  });
});
