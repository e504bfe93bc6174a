import fc from 'fast-check';
import type { z } from 'zod';

/** One generated HTTP request, and which surface of the hub it aims at. */
export interface HostileRequest {
  surface: 'rest' | 'trpc' | 'console' | 'waba' | 'v1' | 'meta' | 'hosted';
  label: string;
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  body?: string | Uint8Array;
}

export interface CorpusWorld {
  seed: number;
  total: number;
  operations: { method: string; path: string; query?: z.ZodType; body?: z.ZodType }[];
  procedures: { name: string; type: 'query' | 'mutation'; input?: z.ZodType }[];
  /** whathooks' `/v1` operations (paths relative to `/v1`), aimed at `ids.session_id`. */
  v1Operations: { method: string; path: string; query?: z.ZodType; body?: z.ZodType }[];
  ids: Record<
    'partner_id' | 'client_id' | 'channel_id' | 'key_id' | 'session_id' | 'user_email' | 'onboarding_token',
    string
  >;
  credentials: {
    partnerToken: string;
    forgedPartnerToken: string;
    channelKey: string;
    forgedChannelKey: string;
  };
  hosted: { cookie: string; csrf: string };
  /** A signed-in console owner's session, and the procedures `/console/trpc` serves. */
  console: {
    cookie: string;
    csrf: string;
    procedures: { name: string; type: 'query' | 'mutation'; input?: z.ZodType }[];
  };
}

/** Strings that broke, or could break, parsers, databases, logs and headers somewhere. */
const NASTY = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\udc00\ud800',
  '%00',
  '%ZZ',
  '..%2F..%2Fetc%2Fpasswd',
  "' or 1=1 --",
  '"; drop table partners; --',
  '<script>alert(1)</script>',
  '$'.concat('{7*7}{{7*7}}'),
  '__proto__',
  'constructor',
  'prototype',
  'a\r\nSet-Cookie: x=1',
  '\u202e\u200b\ufeff',
  '\u00a0victim@x.com',
  ' victim@x.com\t',
  '𝕳𝖚𝖇 🧁',
  'x'.repeat(300),
  'y'.repeat(5000),
  '9'.repeat(400),
  '-1',
  '0',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  'https://169.254.169.254/latest/meta-data',
  'http://[::ffff:127.0.0.1]/',
  'javascript:alert(1)',
  'cli_00000000000000000000000000',
  'ptk_fuzz',
];

const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\u0000', '\ud83d', '\udfff'))
      .map(([a, b]) => a + b),
  },
);

/** Percent-encodes like a browser would, except that lone surrogates go out as raw CESU bytes. */
export function encodeLoose(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    out +=
      code >= 0xd800 && code <= 0xdfff
        ? `%ED%${(0xa0 + ((code >> 6) & 0x1f)).toString(16).toUpperCase()}%80`
        : encodeURIComponent(ch);
  }
  return out;
}

const form = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${encodeLoose(k)}=${encodeLoose(v)}`)
    .join('&');

function shapeKeys(schema: z.ZodType | undefined): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/vnd.api+json',
  '*/*',
];

/** Bodies that are hostile as bytes rather than as values. */
const RAW_BODIES: (string | Uint8Array)[] = [
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
  '{"a":',
  'nul',
  '\u0000',
  '',
  '1e309',
  '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}',
  new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x22]),
  new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
  `{"name":"${'a'.repeat(1_100_000)}"}`,
];

/** Generates `total` requests, reproducibly from `seed`. */
export function hostileCorpus(
  world: CorpusWorld,
  signMeta: (body: string | Uint8Array) => string,
): HostileRequest[] {
  const { ids, credentials: cred } = world;
  const fieldNames = [
    ...new Set([
      ...[...world.operations, ...world.v1Operations].flatMap((o) => [
        ...shapeKeys(o.body),
        ...shapeKeys(o.query),
      ]),
      ...world.procedures.flatMap((p) => shapeKeys(p.input)),
      'messaging_product',
      'to',
      'type',
      'text',
      'url',
      'headers',
    ]),
  ];
  const plausible = fc.constantFrom(
    ...Object.values(ids),
    'https://partner.example/hooks',
    'ping',
    3600,
    10,
    true,
    ['message.received'],
    { body: 'hi' },
    { 'X-Token': 'abc' },
  );
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 4, arbitrary: nastyString },
      { weight: 3, arbitrary: plausible },
      fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt().map(String)),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.oneof(fc.constantFrom(...fieldNames), nastyString), tie('value'), { maxKeys: 4 }),
    ),
  }));
  const object = fc.dictionary(
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fieldNames) }, nastyString),
    value,
    {
      maxKeys: 6,
    },
  );
  const jsonBody = fc.oneof(
    { weight: 12, arbitrary: object.map((o) => JSON.stringify(o)) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES) },
  );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    fc.constantFrom(...JSON_TYPES),
    fc.constant(undefined),
  );
  const idOrNasty = (id: string) => fc.oneof({ weight: 3, arbitrary: fc.constant(id) }, nastyString);
  const headerSafe = (s: string) => s.replaceAll(/[^\t\x20-\x7e]/g, '');
  const partnerAuth = fc.oneof(
    { weight: 30, arbitrary: fc.constant({ authorization: `Bearer ${cred.partnerToken}` }) },
    fc.constant({ authorization: `Bearer ${cred.forgedPartnerToken}` }),
    fc.constant({ 'x-api-key': cred.forgedPartnerToken }),
    fc.constant({ authorization: `Bearer ${cred.channelKey}` }),
    fc.constant({}),
    nastyString.map((s) => ({ authorization: headerSafe(`Bearer ${s}`) })),
    nastyString.map((s) => ({ authorization: headerSafe(s) })),
  );
  const withBody = (method: string, ct: string | undefined, body: string | Uint8Array) =>
    method === 'GET' ? {} : { headers: ct ? { 'content-type': ct } : {}, body };
  const preview = (body: unknown) =>
    typeof body === 'string'
      ? JSON.stringify(body.slice(0, 80))
      : body instanceof Uint8Array
        ? `<${body.length} bytes>`
        : '';

  const rest = fc
    .record({
      op: fc.constantFrom(...world.operations),
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constant(undefined) },
        fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE'),
      ),
      params: fc.record({
        partner_id: idOrNasty(ids.partner_id),
        client_id: idOrNasty(ids.client_id),
        channel_id: idOrNasty(ids.channel_id),
        key_id: idOrNasty(ids.key_id),
        other: nastyString,
      }),
      query: fc.dictionary(
        fc.oneof(
          fc.constantFrom('limit', 'cursor', 'status', 'client_id', 'event_type', 'created_after'),
          nastyString,
        ),
        nastyString,
        { maxKeys: 3 },
      ),
      auth: partnerAuth,
      idempotencyKey: fc.option(nastyString.map(headerSafe), { nil: undefined }),
      ct: contentType,
      body: jsonBody,
    })
    .map(({ op, method, params, query, auth, idempotencyKey, ct, body }) => {
      const m = method ?? op.method.toUpperCase();
      const path = op.path.replaceAll(/:(\w+)/g, (_, name: string) =>
        encodeLoose(params[name as keyof typeof params] ?? params.other),
      );
      const qs = form(query);
      const b = withBody(m, ct, body);
      return {
        surface: 'rest' as const,
        label: `${m} ${op.path} ct=${ct} body=${preview(b.body)}`,
        method: m,
        path: `/api/v2${path}${qs ? `?${qs}` : ''}`,
        headers: { ...auth, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}), ...b.headers },
        body: b.body,
      };
    });

  /** Single calls and batches of tRPC procedures, as GET or POST, under `prefix`. */
  const trpcRequests = (
    surface: 'trpc' | 'console',
    prefix: string,
    procedures: CorpusWorld['procedures'],
    credentials: fc.Arbitrary<Record<string, string>>,
  ) =>
    fc
      .record({
        procs: fc.oneof(
          { weight: 12, arbitrary: fc.constantFrom(...procedures).map((p) => [p]) },
          fc.array(fc.constantFrom(...procedures), { minLength: 2, maxLength: 5 }),
          {
            weight: 1,
            arbitrary: fc.constantFrom(...procedures).map((p) => Array.from({ length: 1_300 }, () => p)),
          },
        ),
        flipMethod: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
        auth: credentials,
        ct: contentType,
        inputs: fc.array(
          fc.oneof(
            { weight: 6, arbitrary: object.map((o) => JSON.stringify(o)) },
            fc.constantFrom(...RAW_BODIES.filter((b) => typeof b === 'string')),
          ),
          { minLength: 5, maxLength: 5 },
        ),
      })
      .map(({ procs, flipMethod, auth, ct, inputs }) => {
        const names = procs.map((p) => p.name).join(',');
        const batch = procs.length > 1;
        const query = (procs[0]!.type === 'query') !== flipMethod;
        // Hostile bytes go in single calls; a batch's inputs stay small (1,300 × a megabyte is no test).
        const small = inputs.map((i) => (i.length > 2_000 ? '{}' : i));
        const input = batch
          ? `{${procs.map((_, i) => `"${i}":${small[i % small.length]}`).join(',')}}`
          : inputs[0]!;
        const path = `${prefix}/${names}${batch ? '?batch=1' : ''}`;
        if (query) {
          const sep = batch ? '&' : '?';
          return {
            surface,
            label: `GET ${prefix}/${names.slice(0, 60)} (${procs.length}) input=${JSON.stringify(input.slice(0, 60))}`,
            method: 'GET',
            path: `${path}${sep}input=${encodeLoose(input.length > 8_000 ? input.slice(0, 8_000) : input)}`,
            headers: { ...auth },
          };
        }
        return {
          surface,
          label: `POST ${prefix}/${names.slice(0, 60)} (${procs.length}) ct=${ct} input=${JSON.stringify(input.slice(0, 60))}`,
          method: 'POST',
          path,
          headers: { ...auth, ...(ct ? { 'content-type': ct } : {}) },
          body: input,
        };
      });
  const trpc = trpcRequests('trpc', '/trpc', world.procedures, partnerAuth);
  // The console's endpoint: its session cookie, with the CSRF token, a wrong one or none.
  const consoleAuth = fc.oneof(
    {
      weight: 20,
      arbitrary: fc.constant({ cookie: world.console.cookie, 'x-csrf-token': world.console.csrf }),
    },
    fc.constant({ cookie: world.console.cookie }),
    fc.constant({ cookie: world.console.cookie, 'x-csrf-token': `${world.console.csrf}x` }),
    fc.constant({}),
    nastyString.map((s) => ({ cookie: headerSafe(s) })),
  );
  const consoleTrpc = trpcRequests('console', '/console/trpc', world.console.procedures, consoleAuth);

  const waba = fc
    .record({
      route: fc.constantFrom(
        ['POST', '/waba/messages'],
        ['GET', '/waba/v1/configs/webhook'],
        ['POST', '/waba/v1/configs/webhook'],
        ['GET', '/waba/health_status'],
        ['DELETE', '/waba/messages'],
        ['POST', '/waba/v1/nope'],
      ),
      key: fc.oneof(
        { weight: 30, arbitrary: fc.constant({ 'd360-api-key': cred.channelKey }) },
        fc.constant({ 'd360-api-key': cred.forgedChannelKey }),
        fc.constant({ authorization: `Bearer ${cred.channelKey}` }),
        fc.constant({ 'd360-api-key': cred.partnerToken }),
        fc.constant({}),
        nastyString.map((s) => ({ 'd360-api-key': headerSafe(s) })),
      ),
      ct: contentType,
      body: jsonBody,
    })
    .map(({ route: [method, path], key, ct, body }) => {
      const b = withBody(method!, ct, body);
      return {
        surface: 'waba' as const,
        label: `${method} ${path} ct=${ct} body=${preview(b.body)}`,
        method: method!,
        path: path!,
        headers: { ...key, ...b.headers },
        body: b.body,
      };
    });

  /** whathooks' API: either credential in either header, as its callers send them. */
  const v1 = fc
    .record({
      op: fc.constantFrom(...world.v1Operations),
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constant(undefined) },
        fc.constantFrom('GET', 'POST', 'DELETE'),
      ),
      id: idOrNasty(ids.session_id),
      query: fc.dictionary(
        fc.oneof(fc.constantFrom('limit', 'cursor', 'sessionId'), nastyString),
        nastyString,
        {
          maxKeys: 3,
        },
      ),
      auth: fc.oneof(
        { weight: 4, arbitrary: partnerAuth },
        fc.constant({ 'x-api-key': cred.partnerToken }),
        fc.constant({ 'x-api-key': cred.channelKey }),
      ),
      ct: contentType,
      body: jsonBody,
    })
    .map(({ op, method, id, query, auth, ct, body }) => {
      const m = method ?? op.method.toUpperCase();
      const path = op.path.replace(':id', encodeLoose(id));
      const qs = form(query);
      const b = withBody(m, ct, body);
      return {
        surface: 'v1' as const,
        label: `${m} /v1${op.path} ct=${ct} body=${preview(b.body)}`,
        method: m,
        path: `/v1${path}${qs ? `?${qs}` : ''}`,
        headers: { ...auth, ...b.headers },
        body: b.body,
      };
    });

  const meta = fc
    .record({
      body: jsonBody,
      signed: fc.boolean(),
      ct: contentType,
      verify: fc.boolean(),
      query: fc.dictionary(fc.constantFrom('hub.mode', 'hub.verify_token', 'hub.challenge'), nastyString, {
        maxKeys: 3,
      }),
    })
    .map(({ body, signed, ct, verify, query }) =>
      verify
        ? {
            surface: 'meta' as const,
            label: `GET /meta/webhook ${form(query).slice(0, 80)}`,
            method: 'GET',
            path: `/meta/webhook?${form(query)}`,
            headers: {},
          }
        : {
            surface: 'meta' as const,
            label: `POST /meta/webhook signed=${signed} ct=${ct} body=${preview(body)}`,
            method: 'POST',
            path: '/meta/webhook',
            headers: {
              ...(ct ? { 'content-type': ct } : {}),
              ...(signed ? { 'x-hub-signature-256': signMeta(body) } : {}),
            },
            body,
          },
    );

  const hostedFields = fc.dictionary(
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom(
          'email',
          'password',
          'name',
          'business_name',
          'channels',
          'channel_id',
          'partner_id',
          'action',
          'code',
          'waba_id',
          'phone_number_id',
          'state',
          'setup_intent',
          'accept',
          'terms_version',
          'price_list_version',
        ),
      },
      nastyString,
    ),
    fc.oneof(
      nastyString,
      fc.constantFrom(
        ids.user_email,
        ids.channel_id,
        ids.partner_id,
        'grant',
        'revoke',
        'correct horse battery',
      ),
    ),
    { maxKeys: 5 },
  );
  const hosted = fc
    .record({
      route: fc.constantFrom(
        ['GET', '/permissions/:p'],
        ['GET', '/dashboard/app/:p/permissions'],
        ['POST', '/permissions/:p/signup'],
        ['POST', '/permissions/:p/login'],
        ['POST', '/permissions/:p/confirm'],
        ['POST', '/permissions/:p/channels'],
        ['POST', '/permissions/:p/logout'],
        ['POST', '/permissions/:p/billing'],
        ['GET', '/hub'],
        ['POST', '/hub/login'],
        ['POST', '/hub/access'],
        ['GET', '/hub/billing/card'],
        ['POST', '/hub/billing/card'],
        ['GET', '/onboard/:t'],
        ['POST', '/onboard/:t/complete'],
        ['POST', '/onboard/:t/cancel'],
      ),
      partner: idOrNasty(ids.partner_id),
      token: idOrNasty(ids.onboarding_token),
      query: fc.dictionary(
        fc.constantFrom(
          'email',
          'name',
          'number',
          'state',
          'redirect_url',
          'partner',
          'next',
          'io_signature',
          'io_timestamp',
          'added',
        ),
        nastyString,
        { maxKeys: 4 },
      ),
      fields: hostedFields,
      withCsrf: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
      ct: fc.oneof(
        { weight: 6, arbitrary: fc.constant('application/x-www-form-urlencoded') },
        fc.constantFrom(...JSON_TYPES),
      ),
      json: fc.boolean(),
      accept: fc.constantFrom('text/html', 'application/json', '*/*'),
    })
    .map(({ route: [method, template], partner, token, query, fields, withCsrf, ct, json, accept }) => {
      const path = template!.replace(':p', encodeLoose(partner)).replace(':t', encodeLoose(token));
      const all = { ...fields, ...(withCsrf ? { _csrf: world.hosted.csrf } : {}) };
      const body = ct.includes('json') && json ? JSON.stringify(all) : form(all);
      const qs = method === 'GET' ? form(query) : '';
      return {
        surface: 'hosted' as const,
        label: `${method} ${template} ct=${ct} ${method === 'GET' ? qs.slice(0, 80) : body.slice(0, 80)}`,
        method: method!,
        path: `${path}${qs ? `?${qs}` : ''}`,
        headers: { cookie: world.hosted.cookie, accept, ...(method === 'GET' ? {} : { 'content-type': ct }) },
        body: method === 'GET' ? undefined : body,
      };
    });

  // Stripe's webhook: bodies and signatures from nowhere (the hub's own Stripe secret is never used).
  const stripe = fc
    .record({
      body: jsonBody,
      signature: fc.oneof(nastyString, fc.constant('t=1,v1=00'), fc.constant('')),
      ct: contentType,
    })
    // Header values must be bytes: the client refuses anything else before it is sent.
    .map(({ body, signature, ct }) => ({ body, ct, signature: signature.replace(/[^\x20-\x7e]/g, '?') }))
    .map(({ body, signature, ct }) => ({
      surface: 'meta' as const,
      label: `POST /stripe/webhook sig=${signature.slice(0, 20)} body=${preview(body)}`,
      method: 'POST',
      path: '/stripe/webhook',
      headers: {
        ...(ct ? { 'content-type': ct } : {}),
        ...(signature ? { 'stripe-signature': signature } : {}),
      },
      body,
    }));

  const any: fc.Arbitrary<HostileRequest> = fc.oneof(
    { weight: 40, arbitrary: rest },
    { weight: 18, arbitrary: trpc },
    { weight: 7, arbitrary: consoleTrpc },
    { weight: 10, arbitrary: waba },
    { weight: 5, arbitrary: v1 },
    { weight: 6, arbitrary: meta },
    { weight: 2, arbitrary: stripe },
    { weight: 17, arbitrary: hosted },
  );
  // Requests that may revoke the corpus's own credentials (rotating tokens, minting or revoking
  // API keys, disconnecting the channel) go last, or every request after the first would stop
  // at authentication.
  const revokes = (r: HostileRequest) =>
    r.method !== 'GET' &&
    /\/tokens|\/api_keys|\/disconnect|\/trpc\/[^?]*(tokens\.|apiKeys\.|channels\.disconnect|console\.)/.test(
      r.path,
    );
  const sample = fc.sample(any, { seed: world.seed, numRuns: world.total });
  return [...sample.filter((r) => !revokes(r)), ...sample.filter(revokes)];
}
