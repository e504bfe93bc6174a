import type { Clock } from '../../clock.ts';
import type { HubConfig } from '../../config/env.ts';
import type { ConnectionType } from '../store/accounts.ts';
import { type GraphError, graphErrors } from './errors.ts';

/**
 * Meta's pair rate: about one message every 6 s from a business number to one consumer, with
 * bursts allowed. Emulated as a burst of 45 per 270 s window (45 × 6 s = 270 s).
 */
export const PAIR_BURST = 45;
export const PAIR_WINDOW_SECONDS = 270;

/** Keys kept before old windows are swept (a sandbox sees few numbers and consumers). */
const SWEEP_AT = 10_000;

/**
 * Fixed windows on the sandbox's clock. The hub's own limits use rate-limiter-flexible; an
 * emulator is better served by counting on the injected clock, so a test that freezes or
 * moves time gets exactly Meta's answer however slow the machine is.
 */
class FixedWindows {
  readonly #counts = new Map<string, { window: number; used: number }>();
  readonly #points: number;
  readonly #windowMs: number;

  constructor(points: number, windowMs: number) {
    this.#points = points;
    this.#windowMs = windowMs;
  }

  take(key: string, now: Date): boolean {
    const window = Math.floor(now.getTime() / this.#windowMs);
    const entry = this.#counts.get(key);
    if (entry && entry.window === window) {
      if (entry.used >= this.#points) return false;
      entry.used++;
      return true;
    }
    if (this.#counts.size >= SWEEP_AT)
      for (const [k, e] of this.#counts) if (e.window !== window) this.#counts.delete(k);
    this.#counts.set(key, { window, used: 1 });
    return this.#points >= 1;
  }
}

/**
 * The sandbox's emulation of Meta's throughput limits on `POST /{phone_number_id}/messages`:
 * messages per second per number (`SANDBOX_THROUGHPUT_MPS`, 80; coexistence numbers
 * `SANDBOX_THROUGHPUT_COEXISTENCE_MPS`, 20) answered with 130429, and the pair rate answered
 * with 131056. Counted in this process's memory (fixed windows): a sandbox spread over several
 * processes allows each its own budget, which is enough for testing an app's backoff.
 */
export class SandboxThroughput {
  readonly #perNumber: Record<ConnectionType, FixedWindows>;
  readonly #pair = new FixedWindows(PAIR_BURST, PAIR_WINDOW_SECONDS * 1000);
  readonly #clock: Clock;

  constructor(
    settings: Pick<HubConfig['sandboxThroughput'], 'messagesPerSecond' | 'coexistenceMessagesPerSecond'>,
    clock: Clock,
  ) {
    this.#clock = clock;
    this.#perNumber = {
      cloud_api: new FixedWindows(settings.messagesPerSecond, 1000),
      coexistence: new FixedWindows(settings.coexistenceMessagesPerSecond, 1000),
    };
  }

  /**
   * Spends one message of the number's second and of the pair's window; the error to answer
   * when either is spent (the number's first: a message refused for throughput never reaches
   * the pair count).
   */
  spend(phone: { id: string; connectionType: ConnectionType }, recipient: string): GraphError | null {
    const now = this.#clock.now();
    if (!this.#perNumber[phone.connectionType].take(phone.id, now)) return graphErrors.throughputReached();
    if (!this.#pair.take(`${phone.id}:${recipient}`, now)) return graphErrors.pairRateLimited();
    return null;
  }
}
