import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import { AppError } from '../../errors.ts';
import { assertAllowedUrl, guardedLookup, type TargetPolicy } from '../../security/ssrf-guard.ts';
import { failureCategory } from '../webhooks/delivery/failure-category.ts';

export const PREFLIGHT_TIMEOUT_MS = 5000;

/**
 * Does what Meta does before it accepts a webhook override: `GET url?hub.mode=subscribe&
 * hub.verify_token=…&hub.challenge=<random>`, which must answer 2xx with the challenge as body.
 * Checked at session creation, so a tenant never finishes signup against a webhook Meta will refuse.
 */
export async function preflightWebhook(
  url: string,
  verifyToken: string,
  policy: TargetPolicy,
): Promise<void> {
  const challenge = randomBytes(12).toString('hex');
  const target = new URL(url);
  target.searchParams.set('hub.mode', 'subscribe');
  target.searchParams.set('hub.verify_token', verifyToken);
  target.searchParams.set('hub.challenge', challenge);
  const agent = new Agent({ connect: { lookup: guardedLookup(policy), timeout: PREFLIGHT_TIMEOUT_MS } });
  let status: number;
  let body: string;
  try {
    assertAllowedUrl(target.toString(), policy);
    const res = await request(target, {
      method: 'GET',
      dispatcher: agent,
      headersTimeout: PREFLIGHT_TIMEOUT_MS,
      bodyTimeout: PREFLIGHT_TIMEOUT_MS,
      signal: AbortSignal.timeout(PREFLIGHT_TIMEOUT_MS),
    });
    status = res.statusCode;
    body = (await res.body.text()).slice(0, 1000).trim();
  } catch (err) {
    throw new AppError(
      'webhook_preflight_failed',
      `The webhook did not answer the verification request: ${failureCategory(err)}`,
      {
        category: 'endpoint_unreachable',
        status: null,
      },
    );
  } finally {
    agent.close().catch(() => {});
  }
  if (status < 200 || status >= 300 || body !== challenge) {
    throw new AppError(
      'webhook_preflight_failed',
      status >= 200 && status < 300
        ? 'The webhook answered the verification request without echoing hub.challenge'
        : `The webhook answered the verification request with HTTP ${status}`,
      { category: 'endpoint_http_error', status },
    );
  }
}
