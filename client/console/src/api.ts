import { QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { ConsoleRouter } from '../../../server/console/router.ts';

export type Inputs = inferRouterInputs<ConsoleRouter>;
export type Outputs = inferRouterOutputs<ConsoleRouter>;

/** The CSRF token of the current session (from `console.session.get`), sent with every call. */
let csrfToken = '';
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/**
 * The console's only way to the hub: the typed tRPC client on `/console/trpc`, where the whole
 * partner API is served under the signed-in user's session and role.
 */
export const api = createTRPCClient<ConsoleRouter>({
  links: [
    httpBatchLink({
      url: '/console/trpc',
      maxItems: 10,
      headers: () => ({ 'x-csrf-token': csrfToken }),
    }),
  ],
});

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      refetchOnWindowFocus: false,
      // Errors the caller must fix (sign-in, role, validation) are not retried.
      retry: (count, error) => count < 2 && errorCodeOf(error) === 'internal_error',
    },
  },
});

export interface ApiError {
  code: string;
  message: string;
  status: number | undefined;
  details?: unknown;
}

export function errorCodeOf(error: unknown): string {
  return apiErrorOf(error).code;
}

/** The hub's stable error code and message, from whatever a call threw. */
export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof TRPCClientError) {
    const data = error.data as { error_code?: string; httpStatus?: number } | undefined;
    return { code: data?.error_code ?? 'network_error', message: error.message, status: data?.httpStatus };
  }
  return {
    code: 'network_error',
    message: error instanceof Error ? error.message : String(error),
    status: undefined,
  };
}

/** A query keyed by its procedure and input, so mutations can invalidate by procedure. */
export function useApiQuery<T>(
  key: readonly unknown[],
  fn: () => Promise<T>,
  options: { enabled?: boolean; refetchInterval?: number | false } = {},
) {
  return useQuery({ queryKey: key, queryFn: fn, ...options });
}

/** A mutation that refreshes the queries under `invalidates` once it succeeds. */
export function useApiMutation<I, T>(
  fn: (input: I) => Promise<T>,
  invalidates: readonly (readonly unknown[])[] = [],
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all(invalidates.map((queryKey) => client.invalidateQueries({ queryKey })));
    },
  });
}
