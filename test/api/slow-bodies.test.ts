import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { generateToken, TOKEN_PREFIXES } from '../../server/crypto/tokens.ts';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub({}, { listen: true });

/**
 * Sends the headers and the start of a body that never finishes, and resolves with the first
 * line of the answer: a hub that waited for the body would never answer (the test times out).
 */
function statusLineOfUnfinishedRequest(path: string, headers: Record<string, string>): Promise<string> {
  const { hostname, port } = new URL(hub.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n');
      if (end >= 0) {
        resolve(received.slice(0, end));
        socket.destroy();
      }
    });
    const head = Object.entries({ Host: hostname, 'Content-Length': '100000', ...headers })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n{"grace_period_seconds":`);
  });
}

describe('bodies of unauthenticated requests are never waited for', () => {
  const forged = () => `Bearer ${generateToken(TOKEN_PREFIXES.partnerToken)}`;

  it('answers a REST request with a bad token 401 while its body is still arriving', async () => {
    const line = await statusLineOfUnfinishedRequest('/api/v2/partners/ptn_x/tokens', {
      Authorization: forged(),
      'Content-Type': 'application/json',
    });
    expect(line).toBe('HTTP/1.1 401 Unauthorized');
  });

  it('answers a tRPC request with a bad token 401 while its body is still arriving', async () => {
    const line = await statusLineOfUnfinishedRequest('/trpc/tokens.rotate', {
      Authorization: forged(),
      'Content-Type': 'application/json',
    });
    expect(line).toBe('HTTP/1.1 401 Unauthorized');
  });
});
