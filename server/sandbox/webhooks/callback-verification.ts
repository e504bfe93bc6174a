import { randomInt } from 'node:crypto';
import type { OutboundHttp } from './outbound-http.ts';

/** Meta gives a callback this long to answer its verification request. */
export const VERIFICATION_TIMEOUT_MS = 5000;

/**
 * Meta's webhook handshake: a GET with `hub.mode=subscribe`, a random `hub.challenge` and the
 * verify token; the callback must answer 200 with exactly the challenge. Returns null when
 * verified, else the reason in Meta's wording.
 */
export async function verifyCallback(
  http: OutboundHttp,
  uri: string,
  verifyToken: string,
  options: { trusted: boolean },
): Promise<string | null> {
  const challenge = String(randomInt(1_000_000_000, 2_147_483_647));
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'The URL is not valid.';
  }
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.challenge', challenge);
  url.searchParams.set('hub.verify_token', verifyToken);
  const res = await http.send(url.toString(), {
    method: 'GET',
    timeoutMs: VERIFICATION_TIMEOUT_MS,
    trusted: options.trusted,
  });
  if (res.status === null) return res.error;
  if (res.status !== 200)
    return `HTTP Status Code = ${res.status}; HTTP Message = ${res.statusText || 'Error'}`;
  if (res.body !== challenge) {
    return `The URL couldn't be validated. Response does not match challenge, expected value="${challenge}", received="${res.body.slice(0, 100)}"`;
  }
  return null;
}
