import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';

/**
 * The `proxy` benchmark's floor, in its own process like the hub: a Node HTTP server that
 * forwards every request's body to one Graph URL with one token through undici (as the hub
 * does) and hands the answer back, with nothing else: no key, no log, no metrics. What it costs
 * is what any Node proxy costs on this machine; the hub's own work is the rest.
 */
const target = process.env.BENCH_PROXY_TARGET!;
const authorization = process.env.BENCH_PROXY_AUTHORIZATION!;
const dispatcher = new Agent({ keepAliveTimeout: 60_000 });

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    request(target, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: Buffer.concat(chunks),
      dispatcher,
    })
      .then(async (upstream) => {
        const body = Buffer.from(await upstream.body.arrayBuffer());
        res.statusCode = upstream.statusCode;
        res.setHeader('content-type', String(upstream.headers['content-type'] ?? 'application/json'));
        res.setHeader('content-length', body.length);
        res.end(body);
      })
      .catch(() => res.writeHead(502).end());
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', port: (server.address() as AddressInfo).port });
});
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'stop') server.close(() => process.exit(0));
});
