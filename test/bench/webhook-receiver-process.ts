import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/**
 * The benchmark's receiver, in its own process: verifies every signature with the
 * standardwebhooks library, answers 204, and measures latency from the body's `timestamp`
 * (lifecycle events) or from a `t:<ms>` message text (relayed Meta messages).
 */
const verifier = new Webhook(process.env.BENCH_WEBHOOK_SECRET!);
let received = 0;
let invalid = 0;
const ids = new Set<string>();
let latencies: number[] = [];

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received++;
    try {
      const body = verifier.verify(
        Buffer.concat(chunks).toString('utf8'),
        req.headers as Record<string, string>,
      ) as {
        timestamp?: string;
        data?: { message: string };
        entry?: { changes: { value: { messages?: { text?: { body?: string } }[] } }[] }[];
      };
      ids.add(String(req.headers['webhook-id']));
      // The body's timestamp is when the event was recorded: this is event→ack latency.
      if (body.data?.message === 'latency') latencies.push(Date.now() - Date.parse(body.timestamp!));
      // Relayed Meta messages carry their send time in the text (`t:<epoch ms>`): Meta→app latency.
      const text = body.entry?.[0]?.changes[0]?.value.messages?.[0]?.text?.body;
      if (text?.startsWith('t:')) latencies.push(Date.now() - Number(text.slice(2)));
    } catch {
      invalid++;
    }
    res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', port: (server.address() as AddressInfo).port });
});
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'stats') process.send!({ type: 'stats', received, invalid, unique: ids.size, latencies });
  if (msg.type === 'reset') {
    received = 0;
    invalid = 0;
    ids.clear();
    latencies = [];
    process.send!({ type: 'reset' });
  }
  if (msg.type === 'stop') server.close(() => process.exit(0));
});
