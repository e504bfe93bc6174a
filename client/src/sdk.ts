import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './contract.ts';
import { type RestRoute, restRoutes } from './rest-routes.ts';

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

export interface RestCallOptions {
  /** Sent as `Idempotency-Key` where the operation honours it (POSTs that return no secret). */
  idempotencyKey?: string | undefined;
}

/** Every procedure's input and output, by tRPC name (`Inputs['channels']['list']`). */
export type Inputs = inferRouterInputs<AppRouter>;
export type Outputs = inferRouterOutputs<AppRouter>;

/** One REST helper: the operation's fields as one object (as over tRPC), its response as the hub sends it. */
type RestHelper<In, Out> = undefined extends In
  ? (input?: In, options?: RestCallOptions) => Promise<Out>
  : (input: In, options?: RestCallOptions) => Promise<Out>;

/** Every declared operation as a REST helper, under its tRPC name (`api.webhooks.endpoints.rotateSecret`). */
export type RestApi<R = typeof restRoutes, I = Inputs, O = Outputs> = {
  [K in keyof R & keyof I & keyof O]: R[K] extends RestRoute
    ? RestHelper<I[K], O[K]>
    : RestApi<R[K], I[K], O[K]>;
};

/** `rest.api`: the REST helper of every operation, under its tRPC name. */
export interface PartnerRestApi extends RestApi<typeof restRoutes, Inputs, Outputs> {}

type PartnerView = Outputs['partner']['me'];
type ClientView = Outputs['clients']['get'];
type ChannelView = Outputs['channels']['get'];
type OnboardingSessionView = Outputs['onboarding']['get'];

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

  /** A helper from a generated route: path ids filled from the input, the other fields sent as query or body. */
  const helperFor =
    (route: RestRoute) =>
    async (input: Record<string, unknown> = {}, options: RestCallOptions = {}): Promise<unknown> => {
      const fields: Record<string, unknown> = { ...input };
      const ids: Record<string, string> = { partner_id: await me() };
      for (const [, name] of route.path.matchAll(/:(\w+)/g)) {
        if (name === undefined || name === 'partner_id') continue;
        const value = fields[name];
        if (typeof value !== 'string' || value === '')
          throw new PartnerHubError('validation_failed', `${name} is required`, 0);
        ids[name] = value;
        delete fields[name];
      }
      const path = route.path.replaceAll(/:(\w+)/g, (_, name: string) => encodeURIComponent(ids[name]!));
      return call(route.method, path, {
        query: route.method === 'GET' ? (fields as Query) : undefined,
        body: route.body ? fields : undefined,
        idempotencyKey: route.idempotent ? options.idempotencyKey : undefined,
      });
    };
  const apiFrom = (tree: object): unknown =>
    Object.fromEntries(
      Object.entries(tree).map(([key, value]) => [
        key,
        'method' in value ? helperFor(value as RestRoute) : apiFrom(value),
      ]),
    );
  const api = apiFrom(restRoutes) as PartnerRestApi;

  // The named helpers predate \`api\` and keep their signatures; each is one call of it.
  const rest = {
    /** Every operation of the partner API, generated from its declaration (client/src/rest-routes.ts). */
    api,
    partner: {
      get: (): Promise<PartnerView> => api.partner.me(),
      update: (body: NonNullable<Inputs['partner']['update']>): Promise<PartnerView> =>
        api.partner.update(body),
    },
    clients: {
      list: (query: Inputs['clients']['list'] = {}): Promise<Outputs['clients']['list']> =>
        api.clients.list(query),
      get: (clientId: string): Promise<ClientView> => api.clients.get({ client_id: clientId }),
    },
    channels: {
      list: (query: Inputs['channels']['list'] = {}): Promise<Outputs['channels']['list']> =>
        api.channels.list(query),
      get: (channelId: string): Promise<ChannelView> => api.channels.get({ channel_id: channelId }),
      /** Your metadata on the channel (`null` clears it), its WABA's webhook override, its display name. */
      update: (
        channelId: string,
        body: Omit<Inputs['channels']['update'], 'channel_id'>,
      ): Promise<ChannelView> => api.channels.update({ channel_id: channelId, ...body }),
      /** Ends the number's connection (partner the client signed up through only); keys and grants are revoked. */
      disconnect: (channelId: string): Promise<ChannelView> =>
        api.channels.disconnect({ channel_id: channelId }),
      /** The channel's message log, newest first (filters: direction, contact, status, since, until). */
      messages: (
        channelId: string,
        query: Omit<Inputs['channels']['messages'], 'channel_id'> = {},
      ): Promise<Outputs['channels']['messages']> =>
        api.channels.messages({ channel_id: channelId, ...query }),
      /** Can the channel send and receive, and why not; any status (Meta is asked live). */
      health: (channelId: string): Promise<Outputs['channels']['health']> =>
        api.channels.health({ channel_id: channelId }),
      revealSecrets: (
        channelId: string,
        secretTypes: ('access_token' | 'registration_pin')[],
      ): Promise<Outputs['channels']['revealSecrets']> =>
        api.channels.revealSecrets({ channel_id: channelId, secret_types: secretTypes }),
    },
    apiKeys: {
      create: (
        channelId: string,
        body: { grace_period_seconds?: number } = {},
        idempotencyKey?: string,
      ): Promise<Outputs['apiKeys']['create']> =>
        api.apiKeys.create({ ...body, channel_id: channelId }, { idempotencyKey }),
      list: (channelId: string): Promise<Outputs['apiKeys']['list']> =>
        api.apiKeys.list({ channel_id: channelId }),
      revoke: (channelId: string, keyId: string): Promise<void> =>
        api.apiKeys.revoke({ channel_id: channelId, key_id: keyId }),
    },
    onboardingSessions: {
      create: (
        body: Inputs['onboarding']['create'],
        idempotencyKey?: string,
      ): Promise<OnboardingSessionView> => api.onboarding.create(body, { idempotencyKey }),
      list: (query: Inputs['onboarding']['list'] = {}): Promise<Outputs['onboarding']['list']> =>
        api.onboarding.list(query),
      get: (sessionId: string): Promise<OnboardingSessionView> =>
        api.onboarding.get({ session_id: sessionId }),
      cancel: (sessionId: string): Promise<OnboardingSessionView> =>
        api.onboarding.cancel({ session_id: sessionId }),
      delete: (sessionId: string): Promise<void> => api.onboarding.delete({ session_id: sessionId }),
    },
    templates: {
      /** The templates of every WABA you hold a channel of, from the hub's cache (`next_cursor` pages). */
      list: (query: Inputs['templates']['list'] = {}): Promise<Outputs['templates']['list']> =>
        api.templates.list(query),
      /** Refreshes the cache from Meta now: every WABA, or only `channel_id`'s. */
      refresh: (
        body: Inputs['templates']['refresh'] = {},
        idempotencyKey?: string,
      ): Promise<Outputs['templates']['refresh']> => api.templates.refresh(body, { idempotencyKey }),
    },
    audit: {
      /** Your audit trail, newest first: who (which token or key) did what, filterable. */
      list: (query: Inputs['audit']['list'] = {}): Promise<Outputs['audit']['list']> => api.audit.list(query),
    },
    /** Any other /api/v2 call, with the same auth and errors. */
    request: call,
  };

  return { trpc, rest };
}

export type PartnerHubClient = ReturnType<typeof createPartnerHubClient>;
