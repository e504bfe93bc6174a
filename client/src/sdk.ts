import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { z } from 'zod';
import type { AppRouter } from '../../server/trpc/router.ts';
import type {
  ChannelListQuery,
  ChannelPageSchema,
  ChannelView,
  RevealedSecretsSchema,
} from '../../shared/schemas/channel.ts';
import type { ClientListQuery, ClientPageSchema, ClientView } from '../../shared/schemas/client.ts';
import type { ApiKeyCreatedSchema, ApiKeyListSchema } from '../../shared/schemas/credentials.ts';
import type {
  OnboardingSessionCreate,
  OnboardingSessionListQuery,
  OnboardingSessionPageSchema,
  OnboardingSessionView,
} from '../../shared/schemas/onboarding.ts';
import type { PartnerUpdate, PartnerView } from '../../shared/schemas/partner.ts';

export interface PartnerHubClientOptions {
  /** The hub's base URL, e.g. `https://hub.example.com`. */
  baseUrl: string;
  /** A partner token (`hubp_…`). */
  token: string;
  /** Your partner id; looked up once with the token when omitted. */
  partnerId?: string;
  fetch?: typeof fetch;
}

/** Every failed call: the hub's stable `code` (see docs/api.md), the HTTP status and the details. */
export class PartnerHubError extends Error {
  override name = 'PartnerHubError';
  readonly code: string;
  readonly status: number;
  readonly details: unknown;
  readonly requestId: string | null;
  constructor(
    code: string,
    message: string,
    status: number,
    details?: unknown,
    requestId: string | null = null,
  ) {
    super(message);
    this.code = code;
    this.status = status;
    this.details = details;
    this.requestId = requestId;
  }
}

/** The hub's error code of any SDK failure: REST (`PartnerHubError`) or tRPC (`TRPCClientError`). */
export function errorCodeOf(err: unknown): string | undefined {
  if (err instanceof PartnerHubError) return err.code;
  if (err instanceof TRPCClientError) return (err.data as { error_code?: string } | undefined)?.error_code;
  return undefined;
}

type Query = Record<string, string | number | boolean | undefined>;
interface CallOptions {
  query?: Query | undefined;
  body?: unknown;
  /** Sent as `Idempotency-Key` (POSTs). */
  idempotencyKey?: string | undefined;
}

/**
 * The partner SDK. `trpc` is typed end to end by the server's `AppRouter` (no codegen);
 * `rest` wraps `/api/v2` with the same wire format (snake_case fields). Options are camelCase.
 */
export function createPartnerHubClient(options: PartnerHubClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const authorization = `Bearer ${options.token}`;

  const trpc = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${baseUrl}/trpc`,
        headers: () => ({ authorization }),
        fetch: doFetch,
        // The hub refuses larger batches (MAX_TRPC_BATCH in server/trpc/trpc.ts).
        maxItems: 20,
      }),
    ],
  });

  async function call<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    opts: CallOptions = {},
  ): Promise<T> {
    const url = new URL(`${baseUrl}/api/v2${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization, accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    const res = await doFetch(url, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)
        ?.error;
      throw new PartnerHubError(
        error?.code ?? 'internal_error',
        error?.message ?? `HTTP ${res.status}`,
        res.status,
        error?.details,
        res.headers.get('x-request-id'),
      );
    }
    return parsed as T;
  }

  let partnerId: Promise<string> | undefined = options.partnerId
    ? Promise.resolve(options.partnerId)
    : undefined;
  const me = () => {
    partnerId ??= trpc.partner.me.query().then((p) => p.id);
    return partnerId;
  };
  const scoped = async <T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, opts?: CallOptions) =>
    call<T>(method, `/partners/${await me()}${path}`, opts);

  const rest = {
    partner: {
      get: () => scoped<PartnerView>('GET', ''),
      update: (body: PartnerUpdate) => scoped<PartnerView>('PATCH', '', { body }),
    },
    clients: {
      list: (query: Partial<ClientListQuery> = {}) =>
        scoped<z.infer<typeof ClientPageSchema>>('GET', '/clients', { query }),
      get: (clientId: string) => scoped<ClientView>('GET', `/clients/${encodeURIComponent(clientId)}`),
    },
    channels: {
      list: (query: Partial<ChannelListQuery> = {}) =>
        scoped<z.infer<typeof ChannelPageSchema>>('GET', '/channels', { query }),
      get: (channelId: string) => scoped<ChannelView>('GET', `/channels/${encodeURIComponent(channelId)}`),
      revealSecrets: (channelId: string, secretTypes: ('access_token' | 'registration_pin')[]) =>
        scoped<z.infer<typeof RevealedSecretsSchema>>(
          'POST',
          `/channels/${encodeURIComponent(channelId)}/reveal_secrets`,
          {
            body: { secret_types: secretTypes },
          },
        ),
    },
    apiKeys: {
      create: (channelId: string, body: { grace_period_seconds?: number } = {}, idempotencyKey?: string) =>
        scoped<z.infer<typeof ApiKeyCreatedSchema>>(
          'POST',
          `/channels/${encodeURIComponent(channelId)}/api_keys`,
          {
            body,
            idempotencyKey,
          },
        ),
      list: (channelId: string) =>
        scoped<z.infer<typeof ApiKeyListSchema>>(
          'GET',
          `/channels/${encodeURIComponent(channelId)}/api_keys`,
        ),
      revoke: (channelId: string, keyId: string) =>
        scoped<void>(
          'DELETE',
          `/channels/${encodeURIComponent(channelId)}/api_keys/${encodeURIComponent(keyId)}`,
        ),
    },
    onboardingSessions: {
      create: (body: Partial<OnboardingSessionCreate> & { tenant_id: string }, idempotencyKey?: string) =>
        scoped<OnboardingSessionView>('POST', '/onboarding_sessions', { body, idempotencyKey }),
      list: (query: Partial<OnboardingSessionListQuery> = {}) =>
        scoped<z.infer<typeof OnboardingSessionPageSchema>>('GET', '/onboarding_sessions', { query }),
      get: (sessionId: string) =>
        scoped<OnboardingSessionView>('GET', `/onboarding_sessions/${encodeURIComponent(sessionId)}`),
      cancel: (sessionId: string) =>
        scoped<OnboardingSessionView>('POST', `/onboarding_sessions/${encodeURIComponent(sessionId)}/cancel`),
    },
    /** Any other /api/v2 call, with the same auth and errors. */
    request: call,
  };

  return { trpc, rest };
}

export type PartnerHubClient = ReturnType<typeof createPartnerHubClient>;
