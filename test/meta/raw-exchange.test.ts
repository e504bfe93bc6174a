import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeRaw } from '../../server/meta/raw-exchange.ts';

/** The Graph client's one HTTP exchange, against a real server scripted per path. */
describe('exchangeRaw', () => {
  let server: http.Server;
  let origin: string;
  const agent = new Agent({ connections: 4 });
  const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        if (req.url === '/chunked') {
          // Several chunks, no Content-Length: the body must be put back together.
          res.writeHead(201, { 'Content-Type': 'application/json; charset=utf-8' });
          res.write('{"messages":[');
          setTimeout(() => res.end('{"id":"wamid.1"}]}'), 20);
        } else if (req.url === '/informational') {
          res.writeProcessing();
          res.writeHead(200, { 'X-Other': 'x', 'CONTENT-TYPE': 'text/plain' }).end('after 102');
        } else if (req.url === '/untyped') {
          res.removeHeader('Content-Type');
          res.writeHead(204).end();
        } else if (req.url === '/cut') {
          // Headers and half the announced body, then the connection drops.
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          res.write('{"messages":');
          setTimeout(() => res.socket?.destroy(), 20);
        } else if (req.url === '/hangs') {
          // Never answers: the headers timeout must end the exchange.
        } else {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":100}}');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await agent.close();
  });

  it('sends method, path, headers and body, and returns status, type and every chunk of the body', async () => {
    const answer = await exchangeRaw(agent, {
      origin,
      path: '/chunked',
      method: 'POST',
      headers: { authorization: 'Bearer EAAG', 'content-type': 'application/json' },
      body: Buffer.from('{"to":"1"}'),
    });
    expect(answer.status).toBe(201);
    expect(answer.contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(answer.body.toString())).toEqual({ messages: [{ id: 'wamid.1' }] });
    expect(seen.at(-1)).toEqual({ method: 'POST', url: '/chunked', auth: 'Bearer EAAG', body: '{"to":"1"}' });
  });

  it('skips an informational answer and finds Content-Type in any case', async () => {
    const answer = await exchangeRaw(agent, { origin, path: '/informational', method: 'GET' });
    expect(answer).toMatchObject({ status: 200, contentType: 'text/plain' });
    expect(answer.body.toString()).toBe('after 102');
  });

  it('returns an error answer as it came, and no type or an empty body where there is none', async () => {
    const error = await exchangeRaw(agent, { origin, path: '/other', method: 'DELETE' });
    expect(error.status).toBe(400);
    expect(error.body.toString()).toBe('{"error":{"code":100}}');
    const empty = await exchangeRaw(agent, { origin, path: '/untyped', method: 'GET' });
    expect(empty).toMatchObject({ status: 204, contentType: undefined });
    expect(empty.body.length).toBe(0);
  });

  it('rejects when nobody listens and when the answer does not come within headersTimeout', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(
      exchangeRaw(agent, { origin: `http://127.0.0.1:${port}`, path: '/', method: 'GET' }),
    ).rejects.toThrow(/ECONNREFUSED/);
    await expect(
      exchangeRaw(agent, { origin, path: '/hangs', method: 'GET', headersTimeout: 200 }),
    ).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
  });

  it('rejects an answer cut off before its body is complete, never returning the part that came', async () => {
    await expect(
      exchangeRaw(agent, { origin, path: '/cut', method: 'POST', body: '{}' }),
    ).rejects.toMatchObject({
      code: 'UND_ERR_SOCKET',
    });
  });
});
