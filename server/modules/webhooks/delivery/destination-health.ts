/** A destination's health, as kept on its row. */
export interface Health {
  /** Set by the first failure after a success; a success clears it. */
  failingSince: Date | null;
  consecutiveFailures: number;
  disabledAt: Date | null;
  disabledReason: string | null;
  /** The circuit: null closed, in the future open, in the past half-open (one probe may go). */
  circuitOpenUntil: Date | null;
}

export interface HealthPolicy {
  /** Failing without a single success this long disables the destination. */
  disableAfterMs: number;
  /** Failed attempts in a row that open the circuit. */
  circuitThreshold: number;
  /** First open period; it doubles with every failed probe, up to `circuitMaxCooldownMs`. */
  circuitCooldownMs: number;
  circuitMaxCooldownMs: number;
}

export const DEFAULT_CIRCUIT = {
  circuitThreshold: 10,
  circuitCooldownMs: 10_000,
  circuitMaxCooldownMs: 300_000,
};

export type CircuitState = 'closed' | 'open' | 'half_open';

export function circuitState(h: Pick<Health, 'circuitOpenUntil'>, now: Date): CircuitState {
  if (!h.circuitOpenUntil) return 'closed';
  return h.circuitOpenUntil > now ? 'open' : 'half_open';
}

/**
 * The health after one attempt. A success closes everything; a failure counts, disables the
 * destination on 410 Gone or after failing continuously for `disableAfterMs`, and opens the
 * circuit once failures pile up, so a dead or hanging destination costs one probe per period
 * instead of a worker busy with its whole backlog.
 */
export function afterAttempt(
  h: Health,
  outcome: { ok: boolean; gone: boolean },
  now: Date,
  policy: HealthPolicy,
): Health {
  if (outcome.ok) return { ...h, failingSince: null, consecutiveFailures: 0, circuitOpenUntil: null };
  const failingSince = h.failingSince ?? now;
  const consecutiveFailures = h.consecutiveFailures + 1;
  let { disabledAt, disabledReason, circuitOpenUntil } = h;
  if (!disabledAt && outcome.gone) {
    disabledAt = now;
    disabledReason = 'the endpoint answered 410 Gone';
  } else if (!disabledAt && now.getTime() - failingSince.getTime() >= policy.disableAfterMs) {
    disabledAt = now;
    disabledReason = `failing continuously since ${failingSince.toISOString()}`;
  }
  if (consecutiveFailures >= policy.circuitThreshold) {
    const doublings = Math.min(consecutiveFailures - policy.circuitThreshold, 20);
    const cooldown = Math.min(policy.circuitMaxCooldownMs, policy.circuitCooldownMs * 2 ** doublings);
    circuitOpenUntil = new Date(now.getTime() + cooldown);
  }
  return { failingSince, consecutiveFailures, disabledAt, disabledReason, circuitOpenUntil };
}
