import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Exactly the bytes sent: signatures are computed over these. */
  rawBody: string;
  receivedAt: number;
}

export interface ScriptedResponse {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Answer only after this long (timeouts). */
  delayMs?: number;
}

/**
 * A real HTTP endpoint on 127.0.0.1 that records what it receives and answers from a
 * script (then with `fallback`). Waiting is event-driven with a deadline, never a sleep.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  readonly #script: ScriptedResponse[] = [];
  readonly #events = new EventEmitter();
  #fallback: ScriptedResponse = { status: 200, body: 'ok' };
  #server: http.Server;

  private constructor(server: http.Server) {
    this.#server = server;
  }

  static async start(): Promise<WebhookReceiver> {
    const server = http.createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (req, res) => receiver.#handle(req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Answers the next requests in order with these responses. */
  respondWith(...responses: ScriptedResponse[]): this {
    this.#script.push(...responses);
    return this;
  }

  otherwiseRespond(response: ScriptedResponse): this {
    this.#fallback = response;
    return this;
  }

  async waitForRequests(count: number, timeoutMs = 5000): Promise<ReceivedRequest[]> {
    const deadline = AbortSignal.timeout(timeoutMs);
    while (this.requests.length < count) {
      try {
        await once(this.#events, 'request', { signal: deadline });
      } catch {
        throw new Error(
          `expected ${count} webhook request(s) within ${timeoutMs} ms, got ${this.requests.length}`,
        );
      }
    }
    return this.requests.slice(0, count);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.requests.push({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      });
      const response = this.#script.shift() ?? this.#fallback;
      this.#events.emit('request');
      const answer = () => {
        if (!res.destroyed) res.writeHead(response.status, response.headers).end(response.body ?? '');
      };
      if (response.delayMs) setTimeout(answer, response.delayMs).unref();
      else answer();
    });
  }
}
