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
  /** Failed attempts in a row that open the circuit… */
  circuitThreshold: number;
  /** …once the destination has also been failing, without a success, this long. */
  circuitAfterMs: number;
  /**
   * How long the circuit stays open: as long as the destination has been failing, at least
   * this and at most `circuitMaxCooldownMs`, so the period about doubles with every failed probe.
   */
  circuitCooldownMs: number;
  circuitMaxCooldownMs: number;
}

export const DEFAULT_CIRCUIT = {
  circuitThreshold: 10,
  circuitAfterMs: 5_000,
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
 * circuit once failures pile up over a few seconds without a single success, so a dead or
 * hanging destination costs one probe per period instead of a worker busy with its whole
 * backlog, while a flaky one (some requests fail, some succeed) keeps its full schedule.
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
  const failingFor = now.getTime() - failingSince.getTime();
  if (consecutiveFailures >= policy.circuitThreshold && failingFor >= policy.circuitAfterMs) {
    const cooldown = Math.min(policy.circuitMaxCooldownMs, Math.max(policy.circuitCooldownMs, failingFor));
    circuitOpenUntil = new Date(now.getTime() + cooldown);
  }
  return { failingSince, consecutiveFailures, disabledAt, disabledReason, circuitOpenUntil };
}
