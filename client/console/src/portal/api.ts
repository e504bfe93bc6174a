import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import type { EmbedRouter } from '../../../../server/embed/router.ts';
import { errorCodeOf } from '../api.ts';

export type PortalOutputs = inferRouterOutputs<EmbedRouter>;
export type PortalView = Omit<PortalOutputs['session']['exchange'], 'session_token'>;
export type PortalNumber = PortalOutputs['numbers']['list'][number];

/**
 * The portal session credential lives here, in memory only: no cookie (a third-party cookie
 * would not reach the hub from inside the partner's page) and no storage (nothing outlives the tab).
 */
let credential = '';

/** The portal's only way to the hub: the typed tRPC client on `/embed/trpc`. */
export const portalApi = createTRPCClient<EmbedRouter>({
  links: [
    httpBatchLink({
      url: '/embed/trpc',
      maxItems: 10,
      headers: () => (credential ? { Authorization: `Bearer ${credential}` } : {}),
    }),
  ],
});

/**
 * Trades the link's one-time token for the session. The token is taken out of the address
 * first, so neither a reload, the history nor a bookmark can carry it again.
 */
export async function openPortal(partnerId: string, hash: string): Promise<PortalView> {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? '';
  history.replaceState(null, '', location.pathname);
  const { session_token, ...view } = await portalApi.session.exchange.mutate({
    partner_id: partnerId,
    token,
  });
  credential = session_token;
  return view;
}

export const portalQueryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => count < 2 && errorCodeOf(error) === 'internal_error',
    },
  },
});
