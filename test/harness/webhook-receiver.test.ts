import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

describe('WebhookReceiver test helper', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(() => receiver.close());

  it('records raw bodies and answers from its script, then the fallback', async () => {
    receiver.respondWith({ status: 500 }, { status: 429, headers: { 'retry-after': '7' } });
    const send = (body: string) =>
      fetch(`${receiver.url}/hooks`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
    const statuses = [];
    for (const body of ['{"a": 1}', '{"b":2}', '{"c":3}']) statuses.push((await send(body)).status);
    expect(statuses).toEqual([500, 429, 200]);
    const requests = await receiver.waitForRequests(3);
    expect(requests.map((r) => r.rawBody)).toEqual(['{"a": 1}', '{"b":2}', '{"c":3}']);
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/hooks' });
  });

  it('fails a wait that is not satisfied by the deadline instead of hanging', async () => {
    await expect(receiver.waitForRequests(10, 50)).rejects.toThrow('expected 10 webhook request(s)');
  });
});
