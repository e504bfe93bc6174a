import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { HubConfig } from '../../config/env.ts';
import type { ConnectionType } from '../store/accounts.ts';
import { type GraphError, graphErrors } from './errors.ts';

/**
 * Meta's pair rate: about one message every 6 s from a business number to one consumer, with
 * bursts allowed. Emulated as a burst of 45 per 270 s window (45 × 6 s = 270 s).
 */
export const PAIR_BURST = 45;
export const PAIR_WINDOW_SECONDS = 270;

/**
 * The sandbox's emulation of Meta's throughput limits on `POST /{phone_number_id}/messages`:
 * messages per second per number (`SANDBOX_THROUGHPUT_MPS`, 80; coexistence numbers
 * `SANDBOX_THROUGHPUT_COEXISTENCE_MPS`, 20) answered with 130429, and the pair rate answered
 * with 131056. Counted in this process's memory (fixed windows): a sandbox spread over several
 * processes allows each its own budget, which is enough for testing an app's backoff.
 */
export class SandboxThroughput {
  readonly #perNumber: Record<ConnectionType, RateLimiterMemory>;
  readonly #pair = new RateLimiterMemory({
    keyPrefix: 'sandbox_pair',
    points: PAIR_BURST,
    duration: PAIR_WINDOW_SECONDS,
  });

  constructor(
    settings: Pick<HubConfig['sandboxThroughput'], 'messagesPerSecond' | 'coexistenceMessagesPerSecond'>,
  ) {
    const perSecond = (keyPrefix: string, points: number) =>
      new RateLimiterMemory({ keyPrefix, points, duration: 1 });
    this.#perNumber = {
      cloud_api: perSecond('sandbox_mps', settings.messagesPerSecond),
      coexistence: perSecond('sandbox_mps_coexistence', settings.coexistenceMessagesPerSecond),
    };
  }

  /**
   * Spends one message of the number's second and of the pair's window; the error to answer
   * when either is spent (the number's first: a message refused for throughput never reaches
   * the pair count).
   */
  async spend(
    phone: { id: string; connectionType: ConnectionType },
    recipient: string,
  ): Promise<GraphError | null> {
    if (!(await allowed(this.#perNumber[phone.connectionType], phone.id)))
      return graphErrors.throughputReached();
    if (!(await allowed(this.#pair, `${phone.id}:${recipient}`))) return graphErrors.pairRateLimited();
    return null;
  }
}

async function allowed(limiter: RateLimiterMemory, key: string): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return false;
    throw rejection;
  }
}
