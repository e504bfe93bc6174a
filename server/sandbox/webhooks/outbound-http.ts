import { Agent, errors, request } from 'undici';
import {
  assertAllowedUrl,
  BlockedTargetError,
  guardedLookup,
  type TargetPolicy,
} from '../../security/ssrf-guard.ts';

const MAX_BODY_BYTES = 4096;

export interface OutboundResult {
  status: number | null;
  statusText: string;
  /** At most 4 KiB of the answer. */
  body: string;
  /** Why no answer came: a Meta-style description, e.g. "Operation timed out after 5000 milliseconds". */
  error: string | null;
}

/**
 * The emulator's HTTP client, playing Meta's servers calling out. URLs that tokens supplied
 * (override callbacks) go through the hub's SSRF guard, since anyone can sign up in the
 * sandbox; the hub's own configured callback URL is trusted.
 */
export class OutboundHttp {
  readonly #guarded: Agent;
  readonly #trusted: Agent;
  readonly #policy: TargetPolicy;

  constructor(policy: TargetPolicy) {
    this.#policy = policy;
    this.#guarded = new Agent({ keepAliveTimeout: 4000, connect: { lookup: guardedLookup(policy) } });
    this.#trusted = new Agent({ keepAliveTimeout: 4000 });
  }

  async send(
    url: string,
    init: {
      method: 'GET' | 'POST';
      headers?: Record<string, string>;
      body?: string;
      timeoutMs: number;
      trusted?: boolean;
    },
  ): Promise<OutboundResult> {
    try {
      if (!init.trusted) assertAllowedUrl(url, this.#policy);
      const res = await request(url, {
        method: init.method,
        headers: init.headers,
        body: init.body,
        dispatcher: init.trusted ? this.#trusted : this.#guarded,
        signal: AbortSignal.timeout(init.timeoutMs),
        headersTimeout: init.timeoutMs,
        bodyTimeout: init.timeoutMs,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size >= MAX_BODY_BYTES) break;
      }
      await res.body.dump().catch(() => {});
      return {
        status: res.statusCode,
        statusText: STATUS_TEXT[res.statusCode] ?? '',
        body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'),
        error: null,
      };
    } catch (err) {
      return { status: null, statusText: '', body: '', error: describe(err, init.timeoutMs) };
    }
  }
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function describe(err: unknown, timeoutMs: number): string {
  const cause = (err as { cause?: unknown })?.cause;
  if (err instanceof BlockedTargetError || cause instanceof BlockedTargetError) {
    return `URL not allowed: ${((cause instanceof BlockedTargetError ? cause : err) as Error).message}`;
  }
  if (
    err instanceof errors.HeadersTimeoutError ||
    err instanceof errors.BodyTimeoutError ||
    err instanceof errors.ConnectTimeoutError ||
    (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
  ) {
    return `Operation timed out after ${timeoutMs} milliseconds`;
  }
  const code = (err as { code?: string })?.code ?? (cause as { code?: string })?.code;
  return `Couldn't connect to server${code ? ` (${code})` : ''}`;
}
