import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
import type { z } from 'zod';
import { GraphError, type GraphErrorBody } from './graph-error.ts';
import {
  AppInfoSchema,
  type DebugToken,
  DebugTokenSchema,
  type HealthStatus,
  MESSAGE_TEMPLATE_FIELDS,
  type MessageTemplatePage,
  MessageTemplatePageSchema,
  PHONE_NUMBER_FIELDS,
  type PhoneNumber,
  PhoneNumberListSchema,
  PhoneNumberSchema,
  SmbAppDataSchema,
  SuccessSchema,
  type TokenExchange,
  TokenExchangeSchema,
} from './graph-types.ts';
import type { MetaApp } from './meta-app.ts';
import { exchangeRaw } from './raw-exchange.ts';

export interface GraphClientOptions {
  timeoutMs?: number;
  /** Delays before each retry of a safe call. */
  retryDelaysMs?: number[];
  /** Told of every HTTP exchange with Graph (each retry too): the hub's metrics. Must not throw. */
  observe?: (call: GraphCallObservation) => void;
}

/** One request to Graph, as the metrics see it: never a path, which carries ids. */
export interface GraphCallObservation {
  operation: GraphOperation;
  durationMs: number;
  /** Unset on success; Meta's error code, `http_<status>` without one, or `network` without an answer. */
  errorCode?: string;
}

export type GraphOperation =
  | 'exchange_code'
  | 'debug_token'
  | 'list_phone_numbers'
  | 'get_phone_number'
  | 'get_health'
  | 'subscribe_app'
  | 'unsubscribe_app'
  | 'register'
  | 'send_message'
  | 'app_info'
  | 'templates'
  | 'list_templates'
  | 'smb_app_data'
  | 'request_display_name';

interface GraphCall {
  operation: GraphOperation;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  token?: string;
  /** Only calls that change nothing on Meta's side (or change it idempotently) are retried. */
  retry: boolean;
}

/** Graph's raw answer, for the messaging proxy that hands it back unchanged. */
export interface GraphRawResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

/**
 * The one module that talks to Meta's Graph API. Production and the sandbox differ only in
 * `meta.graphUrl` and the app credentials. Retries are for safe calls only: a message send
 * or a code exchange is never repeated behind the caller's back.
 */
export class GraphClient {
  readonly #meta: MetaApp;
  readonly #agent: Agent;
  /** `graphUrl` split once: undici dispatches to an origin and a path. */
  readonly #origin: string;
  readonly #basePath: string;
  readonly #timeoutMs: number;
  readonly #retryDelaysMs: number[];
  readonly #observe: (call: GraphCallObservation) => void;

  constructor(meta: MetaApp, options: GraphClientOptions = {}) {
    this.#meta = meta;
    const base = new URL(meta.graphUrl);
    this.#origin = base.origin;
    this.#basePath = `${base.pathname.replace(/\/+$/, '')}/${meta.graphVersion}`;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#retryDelaysMs = options.retryDelaysMs ?? [200, 1000];
    this.#observe = options.observe ?? (() => {});
    this.#agent = new Agent({ keepAliveTimeout: 30_000, connections: 128, connect: { timeout: 10_000 } });
  }

  get appAccessToken(): string {
    return `${this.#meta.appId}|${this.#meta.appSecret}`;
  }

  /** Embedded Signup's code → the business integration system user token. */
  exchangeCode(code: string): Promise<TokenExchange> {
    return this.#json(TokenExchangeSchema, {
      method: 'GET',
      operation: 'exchange_code',
      path: '/oauth/access_token',
      query: { client_id: this.#meta.appId, client_secret: this.#meta.appSecret, code },
      retry: false,
    });
  }

  /** The app itself (`GET /{app-id}`): the cheapest call that proves Graph answers and the app credentials work. */
  appInfo(): Promise<{ id: string; name?: string }> {
    return this.#json(AppInfoSchema, {
      operation: 'app_info',
      method: 'GET',
      path: `/${enc(this.#meta.appId)}`,
      query: { fields: 'id,name' },
      token: this.appAccessToken,
      retry: false,
    });
  }

  async debugToken(inputToken: string): Promise<DebugToken> {
    const res = await this.#json(DebugTokenSchema, {
      method: 'GET',
      operation: 'debug_token',
      path: '/debug_token',
      query: { input_token: inputToken },
      token: this.appAccessToken,
      retry: true,
    });
    return res.data;
  }

  async listPhoneNumbers(wabaId: string, token: string): Promise<PhoneNumber[]> {
    const res = await this.#json(PhoneNumberListSchema, {
      method: 'GET',
      operation: 'list_phone_numbers',
      path: `/${enc(wabaId)}/phone_numbers`,
      query: { fields: ['id', ...PHONE_NUMBER_FIELDS].join(',') },
      token,
      retry: true,
    });
    return res.data;
  }

  getPhoneNumber(phoneNumberId: string, token: string): Promise<PhoneNumber> {
    return this.#json(PhoneNumberSchema, {
      method: 'GET',
      operation: 'get_phone_number',
      path: `/${enc(phoneNumberId)}`,
      query: { fields: PHONE_NUMBER_FIELDS.join(',') },
      token,
      retry: true,
    });
  }

  async getHealth(phoneNumberId: string, token: string): Promise<HealthStatus | undefined> {
    const res = await this.#json(PhoneNumberSchema, {
      method: 'GET',
      operation: 'get_health',
      path: `/${enc(phoneNumberId)}`,
      query: { fields: 'health_status' },
      token,
      retry: true,
    });
    return res.health_status;
  }

  /** Subscribing again with the same values is a no-op at Meta, so it is safe to retry. */
  async subscribeApp(
    wabaId: string,
    token: string,
    override?: { callbackUri: string; verifyToken: string },
  ): Promise<void> {
    await this.#json(SuccessSchema, {
      method: 'POST',
      operation: 'subscribe_app',
      path: `/${enc(wabaId)}/subscribed_apps`,
      body: override
        ? { override_callback_uri: override.callbackUri, verify_token: override.verifyToken }
        : {},
      token,
      retry: true,
    });
  }

  /** Removes the app's subscription to the WABA (every number of it); idempotent at Meta, so retried. */
  async unsubscribeApp(wabaId: string, token: string): Promise<void> {
    await this.#json(SuccessSchema, {
      method: 'DELETE',
      operation: 'unsubscribe_app',
      path: `/${enc(wabaId)}/subscribed_apps`,
      token,
      retry: true,
    });
  }

  /** Not retried: every call counts against Meta's 10 registrations per 72 h. */
  /**
   * Asks Meta to change the number's display name; Meta reviews it (`phone_number_name_update`).
   * Each call counts against Meta's 10 changes per 30 days, so a lost answer is not retried.
   */
  async requestDisplayName(phoneNumberId: string, token: string, name: string): Promise<void> {
    await this.#json(SuccessSchema, {
      method: 'POST',
      operation: 'request_display_name',
      path: `/${enc(phoneNumberId)}`,
      body: { new_display_name: name },
      token,
      retry: false,
    });
  }

  async register(phoneNumberId: string, token: string, pin: string): Promise<void> {
    await this.#json(SuccessSchema, {
      method: 'POST',
      operation: 'register',
      path: `/${enc(phoneNumberId)}/register`,
      body: { messaging_product: 'whatsapp', pin },
      token,
      retry: false,
    });
  }

  /**
   * Asks Meta to sync a coexistence number's WhatsApp Business app contacts
   * (`smb_app_state_sync`) or chat history (`history`): the data arrives as webhooks. Meta allows
   * each once, within 24 hours of onboarding; a retry after a lost answer is refused there, so
   * it is not retried here.
   */
  async syncBusinessApp(
    phoneNumberId: string,
    token: string,
    syncType: 'smb_app_state_sync' | 'history',
  ): Promise<string> {
    const res = await this.#json(SmbAppDataSchema, {
      method: 'POST',
      operation: 'smb_app_data',
      path: `/${enc(phoneNumberId)}/smb_app_data`,
      body: { messaging_product: 'whatsapp', sync_type: syncType },
      token,
      retry: false,
    });
    return res.request_id;
  }

  /** Forwards a Cloud API message body as given and returns Graph's answer untouched. */
  sendMessageRaw(phoneNumberId: string, token: string, body: Buffer | string): Promise<GraphRawResponse> {
    return this.forwardRaw('send_message', 'POST', `/${enc(phoneNumberId)}/messages`, token, { body });
  }

  /**
   * One page of the WABA's message templates (`GET /{waba_id}/message_templates`), for the hub's
   * template cache: pass the page's `paging.cursors.after` as `after` while `paging.next` is set.
   */
  listTemplates(
    wabaId: string,
    token: string,
    page: { limit?: number; after?: string | undefined } = {},
  ): Promise<MessageTemplatePage> {
    const query: Record<string, string> = {
      fields: MESSAGE_TEMPLATE_FIELDS.join(','),
      limit: String(page.limit ?? 100),
    };
    if (page.after !== undefined) query.after = page.after;
    return this.#json(MessageTemplatePageSchema, {
      method: 'GET',
      operation: 'list_templates',
      path: `/${enc(wabaId)}/message_templates`,
      query,
      token,
      retry: true,
    });
  }

  /**
   * The WABA's message templates (`GET|POST|DELETE /{waba_id}/message_templates`), as the
   * messaging API's `/v1/configs/templates` forwards them: the query and body as given, Graph's
   * answer untouched.
   */
  templatesRaw(
    method: 'GET' | 'POST' | 'DELETE',
    wabaId: string,
    token: string,
    options: { query?: Record<string, string>; body?: Buffer | string } = {},
  ): Promise<GraphRawResponse> {
    return this.forwardRaw('templates', method, `/${enc(wabaId)}/message_templates`, token, options);
  }

  /** One call whose answer goes back to the caller as Graph sent it (status, type, bytes). */
  async forwardRaw(
    operation: GraphOperation,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    token: string,
    options: { query?: Record<string, string>; body?: Buffer | string },
  ): Promise<GraphRawResponse> {
    const startedAt = performance.now();
    try {
      const res = await this.#dispatch(method, this.#path(path, options.query), options.body, {
        authorization: `Bearer ${token}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      });
      const errorCode = res.status >= 400 ? errorCodeOf(res.status, res.body.toString('utf8')) : undefined;
      this.#observe({ operation, durationMs: performance.now() - startedAt, errorCode });
      return { status: res.status, contentType: res.contentType ?? 'application/json', body: res.body };
    } catch (err) {
      this.#observe({ operation, durationMs: performance.now() - startedAt, errorCode: 'network' });
      throw new GraphError(null, { message: (err as Error).message });
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  /** One exchange with Graph on the client's connections, bounded by its timeout. */
  #dispatch(
    method: GraphCall['method'],
    path: string,
    body: Buffer | string | undefined,
    headers: Record<string, string>,
  ) {
    return exchangeRaw(this.#agent, {
      origin: this.#origin,
      path,
      method,
      headers,
      body,
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
    });
  }

  #path(path: string, query?: Record<string, string>): string {
    // Every send comes here: without a query the path is final (its segments are encoded).
    const full = `${this.#basePath}${path}`;
    return query ? `${full}?${new URLSearchParams(query)}` : full;
  }

  async #json<S extends z.ZodType>(schema: S, call: GraphCall): Promise<z.infer<S>> {
    const delays = call.retry ? this.#retryDelaysMs : [];
    for (let attempt = 0; ; attempt++) {
      try {
        return schema.parse(await this.#once(call)) as z.infer<S>;
      } catch (err) {
        const retryable = err instanceof GraphError && err.isTransient && attempt < delays.length;
        if (!retryable) throw err;
        await sleep(delays[attempt]);
      }
    }
  }

  async #once(call: GraphCall): Promise<unknown> {
    const startedAt = performance.now();
    try {
      const parsed = await this.#exchange(call);
      this.#observe({ operation: call.operation, durationMs: performance.now() - startedAt });
      return parsed;
    } catch (err) {
      const errorCode =
        err instanceof GraphError
          ? err.status === null
            ? 'network'
            : err.code !== undefined
              ? String(err.code)
              : `http_${err.status}`
          : 'unknown';
      this.#observe({ operation: call.operation, durationMs: performance.now() - startedAt, errorCode });
      throw err;
    }
  }

  async #exchange(call: GraphCall): Promise<unknown> {
    const headers: Record<string, string> = {};
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let text: string;
    try {
      const body = call.body === undefined ? undefined : JSON.stringify(call.body);
      const res = await this.#dispatch(call.method, this.#path(call.path, call.query), body, headers);
      status = res.status;
      text = res.body.toString('utf8');
    } catch (err) {
      throw new GraphError(null, { message: (err as Error).message });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new GraphError(status, { message: `Graph answered ${status} with a body that is not JSON` });
    }
    const error = (parsed as { error?: GraphErrorBody } | null)?.error;
    if (status >= 400 || error)
      throw new GraphError(status, error ?? { message: `Graph answered ${status}` });
    return parsed;
  }
}

const enc = encodeURIComponent;

/** Meta's error code from an error answer's body, else the HTTP status. */
function errorCodeOf(status: number, text: string): string {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } } | null)?.error?.code;
    if (typeof code === 'number' && Number.isInteger(code)) return String(code);
  } catch {
    // Not JSON: the status says it.
  }
  return `http_${status}`;
}
