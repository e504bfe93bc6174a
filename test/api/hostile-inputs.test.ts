import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { partnerApiOperations } from '../../server/api/operations/index.ts';
import { consoleRouter } from '../../server/console/router.ts';
import { generateToken } from '../../server/crypto/tokens.ts';
import { createLinkedDeviceSession } from '../../server/linked-devices/sessions.service.ts';
import { signMetaBody } from '../../server/meta/webhook-signature.ts';
import { appRouter } from '../../server/trpc/router.ts';
import { whathooksOperations } from '../../server/whathooks/operations.ts';
import { ERROR_CODES } from '../../shared/errors.ts';
import { consoleClient, consoleUserFactory } from '../support/console.ts';
import { channelApiKeyFactory, clientUserFactory, onboardingSessionFactory } from '../support/factories.ts';
import { type HostileRequest, hostileCorpus } from '../support/hostile-corpus.ts';
import { useTestHub } from '../support/hub.ts';
import { partnerWithChannel } from '../support/scenarios.ts';

/**
 * Ten thousand generated requests across REST, tRPC (the partner API's and the console's), `/waba`, whathooks' `/v1`, `/meta/webhook` and the hosted
 * pages: NUL bytes, lone surrogates, deep nesting, wrong content types, huge bodies, forged and
 * misplaced credentials. The contract: never a 5xx, and every 4xx names a documented error
 * code (JSON `error.code`, tRPC `error.data.error_code`, or a hosted page's `X-Error-Code`).
 * The seed is printed; `FUZZ_SEED=<n>` replays a run.
 */
const hub = useTestHub(
  // Budgets that would refuse most of the corpus at the door are lifted: the handlers are the target.
  {
    RATE_LIMIT_READ_PER_MINUTE: '1000000',
    RATE_LIMIT_WRITE_PER_MINUTE: '1000000',
    RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1000000',
    // On, so the corpus reaches the linked-device operations' handlers, not only their off switch.
    LINKED_DEVICES_ENABLED: 'true',
  },
  { listen: true },
);
const TOTAL = 10_000;

function proceduresOf(router: { _def: { procedures: object } }) {
  return Object.entries(router._def.procedures).map(([name, p]) => {
    const def = (p as { _def: { type: 'query' | 'mutation'; inputs: z.ZodType[] } })._def;
    return { name, type: def.type, input: def.inputs[0] };
  });
}
const CONCURRENCY = 8;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const DOCUMENTED = new Set<string>(ERROR_CODES);

interface Verdict {
  request: HostileRequest;
  status: number;
  problem?: string;
  code?: string;
}

/** The documented codes a 4xx answer carries, wherever its surface puts them. */
function codesOf(headers: Headers, text: string): string[] {
  const codes: string[] = [];
  const header = headers.get('x-error-code');
  if (header) codes.push(header);
  try {
    const body = JSON.parse(text) as unknown;
    for (const item of Array.isArray(body) ? body : [body]) {
      const error = (item as { error?: { code?: unknown; data?: { error_code?: unknown } } })?.error;
      if (typeof error?.code === 'string') codes.push(error.code);
      if (typeof error?.data?.error_code === 'string') codes.push(error.data.error_code);
    }
  } catch {
    // not JSON: only the header can carry a code
  }
  return codes;
}

async function send(origin: string, r: HostileRequest): Promise<Verdict> {
  let res: Response;
  try {
    res = await fetch(`${origin}${r.path}`, {
      method: r.method,
      headers: Object.fromEntries(Object.entries(r.headers).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >,
      body: r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body,
      redirect: 'manual',
    });
  } catch (err) {
    return { request: r, status: 0, problem: `no answer: ${(err as Error).message}` };
  }
  const text = await res.text();
  if (res.status >= 500) return { request: r, status: res.status, problem: text.slice(0, 200) };
  if (res.status >= 400) {
    const codes = codesOf(res.headers, text);
    if (codes.length === 0 || !codes.every((c) => DOCUMENTED.has(c)))
      return {
        request: r,
        status: res.status,
        problem: `codes ${JSON.stringify(codes)}: ${text.slice(0, 120)}`,
      };
  }
  return { request: r, status: res.status, code: codesOf(res.headers, text)[0] };
}

describe('ten thousand hostile inputs', () => {
  let requests: HostileRequest[];

  beforeAll(async () => {
    const world = await partnerWithChannel(hub);
    const key = await channelApiKeyFactory(hub.em(), world.partner, world.channel);
    const user = await clientUserFactory(hub.em(), world.client);
    const onboarding = await onboardingSessionFactory(hub.em(), world.partner);
    const session = await createLinkedDeviceSession(
      hub.em(),
      hub.deps,
      { partner: world.partner, client: world.client, name: 'Fuzzed' },
      { type: 'operator', id: 'test' },
    );
    // A form page gives a session cookie and its CSRF token, so forms are parsed past the CSRF check.
    const page = await fetch(`${hub.url}/permissions/${world.partner.id}`);
    const cookie = page.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    // A console owner's session, signed in through the console's own procedures.
    const owner = await consoleUserFactory(hub, world.partner.id, 'owner');
    const consoleSession = consoleClient(hub.url);
    await consoleSession.signIn(owner.email, owner.password);
    const consoleCsrf = (await consoleSession.api.console.session.get.query()).csrf_token;
    requests = hostileCorpus(
      {
        seed: SEED,
        total: TOTAL,
        operations: partnerApiOperations,
        procedures: proceduresOf(appRouter),
        v1Operations: [...whathooksOperations],
        ids: {
          partner_id: world.partner.id,
          client_id: world.client.id,
          channel_id: world.channel.id,
          key_id: key.record.id,
          session_id: session.id,
          user_email: user.email,
          onboarding_token: onboarding.urlToken,
        },
        credentials: {
          partnerToken: world.token,
          forgedPartnerToken: generateToken('hubp'),
          channelKey: key.key,
          forgedChannelKey: generateToken('hubk'),
        },
        hosted: { cookie, csrf },
        console: {
          cookie: [...consoleSession.jar].map(([k, v]) => `${k}=${v}`).join('; '),
          csrf: consoleCsrf,
          // Ending or replacing the corpus's own session would turn the rest away at the door.
          procedures: proceduresOf(consoleRouter).filter(
            (p) => !/^console\.session\.(login|logout|verify)/.test(p.name),
          ),
        },
      },
      (body) => signMetaBody(hub.deps.meta.appSecret, Buffer.from(body)),
    );
  });

  it('never answers 5xx and every 4xx carries a documented code', { timeout: 300_000 }, async () => {
    expect(requests.length).toBeGreaterThanOrEqual(TOTAL);
    const verdicts: Verdict[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) verdicts.push(await send(hub.url, requests[next++]!));
      }),
    );
    const failures = verdicts.filter((v) => v.problem);
    const bySurface = Map.groupBy(verdicts, (v) => v.request.surface);
    console.info(
      `hostile inputs (seed ${SEED}): ${verdicts.length} sent, ` +
        [...bySurface].map(([s, vs]) => `${s} ${vs.length}`).join(', ') +
        `; ${failures.length} failures`,
    );
    const histogram = [...bySurface].map(([surface, vs]) => {
      const counts = Map.groupBy(vs, (v) => `${String(v.status).slice(0, 1)}xx`);
      return `${surface}: ${[...counts].map(([k, c]) => `${k} ${c.length}`).join(' ')}`;
    });
    console.info(histogram.join('; '));
    const codes = Map.groupBy(verdicts, (v) => `${v.request.surface} ${v.status} ${v.code ?? ''}`);
    console.info(
      [...codes]
        .sort((a, b) => b[1].length - a[1].length)
        .slice(0, 25)
        .map(([k, v]) => `${k} ×${v.length}`)
        .join('\n'),
    );
    // Every surface was reached, and on each some requests got all the way through a handler:
    // a corpus refused wholesale at the door would prove nothing about the handlers.
    expect([...bySurface.keys()].sort()).toEqual(['console', 'hosted', 'meta', 'rest', 'trpc', 'v1', 'waba']);
    for (const [surface, vs] of bySurface) {
      expect(vs.filter((v) => v.status >= 200 && v.status < 400).length, surface).toBeGreaterThan(
        vs.length / 50,
      );
    }
    // One example per kind of failure (status, method, route), so a report reads as a list of bugs.
    const kinds = Map.groupBy(
      failures,
      (f) => `${f.status} ${f.request.label.split(' ').slice(0, 2).join(' ')}`,
    );
    expect(
      [...kinds].map(
        ([kind, fs]) => `${kind} ×${fs.length}: ${fs[0]!.request.label.slice(0, 160)} → ${fs[0]!.problem}`,
      ),
      `seed ${SEED}`,
    ).toEqual([]);
  });
});
