import { Agent, request } from 'undici';
import { assertAllowedUrl, guardedLookup, type TargetPolicy } from '../../../security/ssrf-guard.ts';
import { failureCategory, isTimeout } from './failure-category.ts';

export const MAX_RESPONSE_BODY_BYTES = 4096;

export interface SendResult {
  status: number | null;
  /** At most 4 KiB of what the receiver answered. */
  body: string | null;
  durationMs: number;
  error: string | null;
  timedOut: boolean;
  /** Seconds, from a `Retry-After` header (delta or HTTP date). */
  retryAfterSeconds: number | null;
}

export interface SenderOptions extends TargetPolicy {
  timeoutMs: number;
}

/**
 * POSTs signed webhook bodies over a keep-alive pool. Redirects are not followed (a 3xx is
 * a failed attempt), every connection goes through the SSRF guard, and at most 4 KiB of the
 * response is kept.
 */
export class WebhookSender {
  readonly #agent: Agent;
  readonly #options: SenderOptions;

  constructor(options: SenderOptions) {
    this.#options = options;
    this.#agent = new Agent({
      keepAliveTimeout: 30_000,
      connections: 256,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { lookup: guardedLookup(options), timeout: Math.min(options.timeoutMs, 10_000) },
    });
  }

  /** `signal` cancels the request (shutdown); the attempt then reports an error, as a timeout would. */
  async send(
    url: string,
    headers: Record<string, string>,
    body: string,
    signal?: AbortSignal,
  ): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      assertAllowedUrl(url, this.#options);
      const res = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.#agent,
        signal: signal
          ? AbortSignal.any([signal, AbortSignal.timeout(this.#options.timeoutMs)])
          : AbortSignal.timeout(this.#options.timeoutMs),
      });
      const text = await readCapped(res.body);
      return {
        status: res.statusCode,
        body: text,
        durationMs: elapsed(),
        error: null,
        timedOut: false,
        retryAfterSeconds: parseRetryAfter(res.headers['retry-after']),
      };
    } catch (err) {
      return {
        status: null,
        body: null,
        durationMs: elapsed(),
        error: failureCategory(err),
        timedOut: isTimeout(err),
        retryAfterSeconds: null,
      };
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { dump(): Promise<void> }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_RESPONSE_BODY_BYTES) break;
  }
  await body.dump().catch(() => {});
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BODY_BYTES).toString('utf8');
}

export function parseRetryAfter(value: string | string[] | undefined): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return null;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim());
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
