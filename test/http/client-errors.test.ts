import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub({}, { listen: true });

/** Sends raw bytes and returns everything the server answers before it closes the connection. */
async function raw(bytes: string): Promise<string> {
  const { hostname, port } = new URL(hub.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** What Node's HTTP parser refuses still gets a JSON body with a documented code. */
describe('requests Node refuses before routing', () => {
  it('answers an oversized URL with 431 headers_too_large', async () => {
    const names = Array.from({ length: 1_000 }, () => 'webhooks.deliveries.list').join(','); // 25 KB
    const res = await fetch(`${hub.url}/trpc/${names}?batch=1`);
    expect(res.status).toBe(431);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ error: { code: 'headers_too_large' } });
  });

  it('answers malformed HTTP with 400 validation_failed', async () => {
    const answer = await raw('GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expect(body).toEqual({ error: { code: 'validation_failed', message: 'The request is not valid HTTP' } });
  });
});
