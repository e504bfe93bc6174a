import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import {
  afterAttempt,
  circuitState,
  DEFAULT_CIRCUIT,
  type Health,
} from '../../server/modules/webhooks/delivery/destination-health.ts';
import { primaryDestinationOf } from '../../server/modules/webhooks/destinations.service.ts';
import { WebhookDelivery } from '../../server/modules/webhooks/webhook-delivery.entity.ts';
import { partnerFactory, setWebhookUrl } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { recordPing } from '../support/webhooks.ts';

const hub = useTestHub();
const EVENTS = 30;

describe('the circuit', () => {
  const policy = { disableAfterMs: 5 * 24 * 3600_000, ...DEFAULT_CIRCUIT };
  const t0 = new Date('2026-12-01T00:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const closed: Health = {
    failingSince: null,
    consecutiveFailures: 0,
    disabledAt: null,
    disabledReason: null,
    circuitOpenUntil: null,
  };

  it('stays closed for a flaky destination: a success now and then resets the streak', () => {
    let h = closed;
    for (let i = 0; i < 200; i++) h = afterAttempt(h, { ok: i % 3 === 0, gone: false }, at(i * 100), policy);
    expect(circuitState(h, at(20_000))).toBe('closed');
  });

  it('opens after 10 failures over 5 s without a success, for about as long as it has been failing (10 s to 5 min)', () => {
    let h = closed;
    for (let i = 0; i < 20; i++) h = afterAttempt(h, { ok: false, gone: false }, at(i * 100), policy);
    expect(circuitState(h, at(2_000))).toBe('closed');
    h = afterAttempt(h, { ok: false, gone: false }, at(5_000), policy);
    expect(h.circuitOpenUntil).toEqual(at(5_000 + 10_000));
    // The probe fails: open as long again as the destination has been failing (15 s).
    h = afterAttempt(h, { ok: false, gone: false }, at(15_000), policy);
    expect(h.circuitOpenUntil).toEqual(at(15_000 + 15_000));
    h = afterAttempt(h, { ok: false, gone: false }, at(30_000), policy);
    expect(h.circuitOpenUntil).toEqual(at(30_000 + 30_000));
    expect(circuitState(h, at(40_000))).toBe('open');
    expect(circuitState(h, at(60_000))).toBe('half_open');
    h = afterAttempt(h, { ok: false, gone: false }, at(3600_000), policy);
    expect(h.circuitOpenUntil).toEqual(at(3600_000 + 300_000));
    h = afterAttempt(h, { ok: true, gone: false }, at(3900_000), policy);
    expect(h).toEqual(closed);
  });
});

describe('a destination that keeps failing', () => {
  let receiver: WebhookReceiver;
  let partner: Partner;
  beforeAll(async () => {
    receiver = (await WebhookReceiver.start()).otherwiseRespond({ status: 500 });
    partner = (await partnerFactory(hub.em(), hub.deps)).partner;
    await setWebhookUrl(hub.em(), partner, `${receiver.url}/hooks`);
  });
  afterAll(() => receiver.close());

  it('gets one probe per period once its circuit opens, and its backlog when a probe succeeds', async () => {
    hub.clock.set(new Date());
    for (let i = 0; i < EVENTS; i++) await recordPing(hub.em(), hub.clock, partner, `n${i}`);
    await hub.drainJobs();
    expect(receiver.requests).toHaveLength(EVENTS);

    // Every retry is due; the first failure 6 s into the streak opens the circuit.
    hub.clock.advance(7_000);
    await hub.drainJobs();
    const openUntil = (await primaryDestinationOf(hub.em(), partner.id)).circuitOpenUntil ?? null;
    expect(circuitState({ circuitOpenUntil: openUntil }, hub.clock.now())).toBe('open');
    const sentWhileOpening = receiver.requests.length - EVENTS;
    // What was already on the wire (at most one request per lane) finishes; nothing more goes.
    expect(sentWhileOpening).toBeGreaterThan(0);
    expect(sentWhileOpening).toBeLessThanOrEqual(16);

    hub.clock.advance(5_000);
    await hub.drainJobs();
    expect(receiver.requests.length - EVENTS).toBe(sentWhileOpening);

    // Half-open: one probe. It succeeds, so everything that waited for the circuit goes.
    receiver.otherwiseRespond({ status: 200 });
    hub.clock.advance(6_000);
    await hub.drainJobs();
    const succeeded = () => hub.em().count(WebhookDelivery, { partner: partner.id, status: 'succeeded' });
    expect(await succeeded()).toBe(EVENTS - sentWhileOpening);
    expect((await primaryDestinationOf(hub.em(), partner.id)).circuitOpenUntil).toBeNull();
    // Those that failed while it opened keep their own schedule (the third attempt: 5 min on).
    hub.clock.advance(6 * 60_000);
    await hub.drainJobs();
    expect(await succeeded()).toBe(EVENTS);
  });
});
