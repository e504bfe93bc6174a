import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import request from 'supertest';
import type { EmbedRouter } from '../../server/embed/router.ts';
import type { TestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

/** The portal page's tRPC client, over real HTTP, presenting `credential()` as its session. */
export function portalClient(hub: TestHub, credential: () => string = () => '') {
  return createTRPCClient<EmbedRouter>({
    links: [
      httpLink({
        url: `${hub.url}/embed/trpc`,
        headers: () => (credential() ? bearer(credential()) : {}),
      }),
    ],
  });
}

/** The hub's error code of a failed portal call. */
export async function errorCode(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    if (err instanceof TRPCClientError) return (err.data as { error_code: string }).error_code;
    throw err;
  }
  throw new Error('the call succeeded');
}

/** Mints a portal link over REST as the partner's backend would; answers the token and URL. */
export async function mintLink(
  hub: TestHub,
  partner: { id: string },
  token: string,
  clientId: string,
  body: object = {},
) {
  const res = await request(hub.app)
    .post(`/api/v2/partners/${partner.id}/clients/${clientId}/portal_links`)
    .set(bearer(token))
    .send(body);
  if (res.status !== 201) throw new Error(`mint failed: ${res.status} ${JSON.stringify(res.body)}`);
  const url = new URL(res.body.url as string);
  return {
    body: res.body as { id: string; url: string; expires_at: string; client_id: string },
    url,
    token: new URLSearchParams(url.hash.slice(1)).get('token') ?? '',
  };
}
