import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/env.ts';
import { PAIR_BURST, SandboxThroughput } from '../../server/sandbox/graph/throughput.ts';
import { TestClock } from '../support/clock.ts';
import { useTestHub } from '../support/hub.ts';

/** A small per-number budget for coexistence numbers. The sandbox counts on the hub's clock, which the test holds still. */
const COEXISTENCE_MPS = 3;
const hub = useTestHub({ SANDBOX_THROUGHPUT_COEXISTENCE_MPS: String(COEXISTENCE_MPS) }, { listen: true });

const graphUrl = (path: string) => `${hub.url}/sandbox/graph/v23.0${path}`;

async function post(path: string, token: string, json: unknown) {
  const res = await fetch(graphUrl(path), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

/** A number through Embedded Signup, its business token, registered so it can send. */
async function registeredNumber(connection_type: 'cloud_api' | 'coexistence') {
  const res = await fetch(`${hub.url}/sandbox/embedded-signup/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      business_name: 'Acme',
      phone_number: `1555${String(randomInt(0, 1e7)).padStart(7, '0')}`,
      display_name: 'Acme Support',
      connection_type,
    }),
  });
  const signup = (await res.json()) as { code: string; phone_number_id: string };
  const q = new URLSearchParams({
    client_id: hub.deps.meta.appId,
    client_secret: hub.deps.meta.appSecret,
    code: signup.code,
  });
  const token = (
    (await (await fetch(graphUrl(`/oauth/access_token?${q}`))).json()) as { access_token: string }
  ).access_token;
  const registered = await post(`/${signup.phone_number_id}/register`, token, {
    messaging_product: 'whatsapp',
    pin: '000000',
  });
  expect(registered.status).toBe(200);
  return { id: signup.phone_number_id, token };
}

const send = (number: { id: string; token: string }, to: string) =>
  post(`/${number.id}/messages`, number.token, {
    messaging_product: 'whatsapp',
    to,
    type: 'text',
    text: { body: 'Hello' },
  });

const recipient = (i: number) => `4915${String(i).padStart(9, '0')}`;

describe('sandbox Graph: Meta’s throughput limits on sends', () => {
  it('answers 130429 once a coexistence number has sent its messages of the second', async () => {
    const number = await registeredNumber('coexistence');
    // One burst, each to a different consumer: only the number's budget applies.
    const results = await Promise.all(
      Array.from({ length: COEXISTENCE_MPS + 4 }, (_, i) => send(number, recipient(i))),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(COEXISTENCE_MPS);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(4);
    // A second later (on the sandbox's clock) the number may send again.
    hub.clock.advance(1000);
    expect((await send(number, recipient(50))).status).toBe(200);
    for (const r of refused) {
      expect(r.status).toBe(400);
      expect(r.body).toEqual({
        error: {
          message: '(#130429) Rate limit hit',
          type: 'OAuthException',
          code: 130429,
          error_data: {
            messaging_product: 'whatsapp',
            details: 'Cloud API message throughput has been reached.',
          },
          fbtrace_id: expect.any(String),
        },
      });
    }
  });

  it('answers 131056 once a number has sent its burst to one consumer, and still sends to others', async () => {
    const number = await registeredNumber('cloud_api');
    const to = recipient(999);
    // One at a time: far below 80 messages/s, so only the pair rate applies.
    for (let i = 0; i < PAIR_BURST; i++) expect((await send(number, to)).status).toBe(200);
    const refused = await send(number, `+${to}`);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: {
        message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
        type: 'OAuthException',
        code: 131056,
        error_data: {
          messaging_product: 'whatsapp',
          details: expect.stringContaining(
            'too many messages sent from this phone number to the same phone number',
          ),
        },
        fbtrace_id: expect.any(String),
      },
    });
    expect((await send(number, recipient(1000))).status).toBe(200);
  });

  it('allows 80 messages a second to a Cloud API number and 20 to a coexistence number by default', async () => {
    const clock = new TestClock();
    const throughput = new SandboxThroughput(
      { messagesPerSecond: 80, coexistenceMessagesPerSecond: 20 },
      clock,
    );
    const spend = async (connectionType: 'cloud_api' | 'coexistence', n: number) => {
      const codes = [];
      for (let i = 0; i < n; i++) {
        codes.push(throughput.spend({ id: `${connectionType}-1`, connectionType }, recipient(i))?.body.code);
      }
      return codes;
    };
    const cloud = await spend('cloud_api', 81);
    expect(cloud.filter((c) => c === undefined)).toHaveLength(80);
    expect(cloud[80]).toBe(130429);
    const coexistence = await spend('coexistence', 21);
    expect(coexistence.filter((c) => c === undefined)).toHaveLength(20);
    expect(coexistence[20]).toBe(130429);
    // The next second has a fresh budget; the pair windows are untouched by the refusals.
    clock.advance(1000);
    expect(throughput.spend({ id: 'coexistence-1', connectionType: 'coexistence' }, recipient(0))).toBeNull();
  });

  it('is off with SANDBOX_THROUGHPUT=false', () => {
    expect(parseConfig({ SANDBOX_THROUGHPUT: 'false' }).sandboxThroughput.enabled).toBe(false);
    expect(parseConfig({}).sandboxThroughput).toEqual({
      enabled: true,
      messagesPerSecond: 80,
      coexistenceMessagesPerSecond: 20,
    });
  });
});
