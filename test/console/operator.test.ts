import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { operatorRouter } from '../../server/console/routers/operator.ts';
import { WebhookDestination } from '../../server/modules/webhooks/webhook-destination.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { consoleClient, consoleErrorCode, consoleUserFactory } from '../support/console.ts';
import {
  channelApiKeyFactory,
  partnerFactory,
  webhookAttemptFactory,
  webhookDeliveryFactory,
  webhookEventFactory,
} from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';

type Client = ReturnType<typeof consoleClient>;

/** Calls a console procedure by its dotted path, as the browser's client would. */
function callByPath(c: Client, path: string, input: unknown): Promise<unknown> {
  let node: unknown = c.api.console.operator;
  for (const part of path.split('.')) node = (node as Record<string, unknown>)[part];
  const proc = node as { query: (i: unknown) => Promise<unknown>; mutate: (i: unknown) => Promise<unknown> };
  const { type } = (operatorRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[
    path
  ]!._def;
  return type === 'mutation' ? proc.mutate(input) : proc.query(input);
}

/** A partner token over real HTTP on /trpc: the error code tRPC answers. */
async function trpcCode(url: string, token: string): Promise<[number, string | undefined]> {
  const res = await fetch(`${url}/trpc/partner.me`, { headers: bearer(token) });
  const body = (await res.json()) as { error?: { data?: { error_code?: string } } };
  return [res.status, body.error?.data?.error_code];
}

describe('console: the operator area', () => {
  const hub = useTestHub({}, { listen: true });
  let operator: Client;
  let operatorId: string;

  beforeAll(async () => {
    const { email, password, user } = await consoleUserFactory(hub, null, 'operator');
    operatorId = user.id;
    operator = consoleClient(hub.url);
    await operator.signIn(email, password);
  });

  it('refuses every console.operator procedure to partner users, whatever their role', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'Not An Operator');
    const inputs: Record<string, unknown> = {
      'partners.list': {},
      'partners.create': { name: 'Sneaky' },
      'partners.suspend': { partner_id: partner.id },
      'partners.unsuspend': { partner_id: partner.id },
      health: undefined,
      'audit.search': {},
    };
    // A procedure added without a line above fails here rather than going untested.
    expect(Object.keys(operatorRouter._def.procedures).sort()).toEqual(Object.keys(inputs).sort());
    for (const role of ['owner', 'developer', 'viewer'] as const) {
      const { email, password } = await consoleUserFactory(hub, partner.id, role);
      const c = consoleClient(hub.url);
      await c.signIn(email, password);
      for (const [path, input] of Object.entries(inputs)) {
        expect([role, path, await consoleErrorCode(callByPath(c, path, input))]).toEqual([
          role,
          path,
          'forbidden',
        ]);
      }
    }
    // Signed out: no session at all.
    const anonymous = consoleClient(hub.url);
    await anonymous.refresh();
    expect(await consoleErrorCode(callByPath(anonymous, 'partners.list', {}))).toBe('unauthorized');
    // Nothing was created or suspended on the way.
    const listed = await operator.api.console.operator.partners.list.query({ search: 'Sneaky' });
    expect(listed.partners).toEqual([]);
    expect(
      (await operator.api.console.operator.partners.list.query({ search: 'Not An Operator' })).partners[0],
    ).toMatchObject({ id: partner.id, suspended_at: null });
  });

  it('creates a partner whose token works, lists and searches partners page by page', async () => {
    const created = await operator.api.console.operator.partners.create.mutate({
      name: 'Created By Console',
      redirect_url: 'https://created.example/done',
      webhook_url: 'https://created.example/hooks',
    });
    expect(created.token).toMatch(/^hubp_/);
    expect(created.webhook_secret).toMatch(/^whsec_/);
    expect(created.partner).toMatchObject({
      name: 'Created By Console',
      partner_redirect_url: 'https://created.example/done',
      webhook_url: 'https://created.example/hooks',
      suspended_at: null,
    });
    const me = await request(hub.app)
      .get(`/api/v2/partners/${created.partner.id}`)
      .set(bearer(created.token));
    expect([me.status, me.body.name]).toEqual([200, 'Created By Console']);

    // Bad input is a stable 4xx, never a 500.
    expect(await consoleErrorCode(operator.api.console.operator.partners.create.mutate({ name: '  ' }))).toBe(
      'validation_failed',
    );
    expect(
      await consoleErrorCode(
        operator.api.console.operator.partners.create.mutate({
          name: 'Bad redirect',
          redirect_url: 'javascript:alert(1)',
        }),
      ),
    ).toBe('validation_failed');

    for (const name of ['Paged Alpha', 'Paged Beta', 'Paged Gamma'])
      await operator.api.console.operator.partners.create.mutate({ name });
    const first = await operator.api.console.operator.partners.list.query({ search: 'paged', limit: 2 });
    expect(first.partners.map((p) => p.name)).toEqual(['Paged Gamma', 'Paged Beta']);
    const second = await operator.api.console.operator.partners.list.query({
      search: 'paged',
      limit: 2,
      cursor: first.next_cursor!,
    });
    expect([second.partners.map((p) => p.name), second.next_cursor]).toEqual([['Paged Alpha'], null]);
    // LIKE's wildcards are matched literally.
    expect((await operator.api.console.operator.partners.list.query({ search: '%' })).partners).toEqual([]);
    expect(
      await consoleErrorCode(operator.api.console.operator.partners.list.query({ cursor: 'bm90LWFuLWlk' })),
    ).toBe('validation_failed');
  });

  it('suspends a partner: its token (REST and tRPC) and console users get 403 partner_suspended, its channel keys keep working; unsuspending restores it', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps, 'To Be Suspended');
    const { channel } = await onboardSandboxChannel(hub, partner);
    const { key } = await channelApiKeyFactory(hub.em(), partner, channel);
    const { email, password } = await consoleUserFactory(hub, partner.id, 'owner');
    const user = consoleClient(hub.url);
    await user.signIn(email, password);
    const rest = () => request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(token));
    const waba = () => request(hub.app).get('/waba/health_status').set('D360-API-KEY', key);
    expect((await rest()).status).toBe(200);
    expect((await user.api.partner.me.query()).id).toBe(partner.id);

    const suspended = await operator.api.console.operator.partners.suspend.mutate({ partner_id: partner.id });
    expect(suspended.suspended_at).not.toBeNull();
    // At once on this process: the flush cleared the token cache.
    const refused = await rest();
    expect([refused.status, refused.body.error.code]).toEqual([403, 'partner_suspended']);
    expect(refused.body.error.details).toEqual({ suspended_at: suspended.suspended_at });
    expect(await trpcCode(hub.url, token)).toEqual([403, 'partner_suspended']);
    expect(await consoleErrorCode(user.api.partner.me.query())).toBe('partner_suspended');
    expect(await consoleErrorCode(user.api.partner.update.mutate({ name: 'Still here' }))).toBe(
      'partner_suspended',
    );
    // The clients' numbers keep sending: suspending the partner is not suspending its clients.
    expect((await waba()).status).toBe(200);
    // Suspending again changes nothing, not even the time.
    const again = await operator.api.console.operator.partners.suspend.mutate({ partner_id: partner.id });
    expect(again.suspended_at).toBe(suspended.suspended_at);

    const events = await hub
      .em()
      .find(WebhookEvent, { partner: partner.id, type: 'partner.updated' }, { orderBy: { id: 'asc' } });
    expect(events.map((e) => JSON.parse(e.body).data)).toEqual([
      { partner_id: partner.id, changed_fields: ['suspended_at'] },
    ]);

    const restored = await operator.api.console.operator.partners.unsuspend.mutate({
      partner_id: partner.id,
    });
    expect(restored.suspended_at).toBeNull();
    expect((await rest()).status).toBe(200);
    expect(await trpcCode(hub.url, token)).toEqual([200, undefined]);
    expect((await user.api.partner.me.query()).suspended_at).toBeNull();

    expect(
      await consoleErrorCode(
        operator.api.console.operator.partners.suspend.mutate({
          partner_id: 'ptn_01jzzzzzzzzzzzzzzzzzzzzzzz',
        }),
      ),
    ).toBe('not_found');
  });

  it('searches the audit log across partners by action, partner, actor and time, page by page', async () => {
    const { partner: a } = await partnerFactory(hub.em(), hub.deps, 'Audited A');
    const { partner: b } = await partnerFactory(hub.em(), hub.deps, 'Audited B');
    // Entries are stamped with the wall clock: this leaves out the other tests' entries.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const before = new Date().toISOString();
    for (const p of [a, b, a]) {
      await operator.api.console.operator.partners.suspend.mutate({ partner_id: p.id });
      await operator.api.console.operator.partners.unsuspend.mutate({ partner_id: p.id });
    }
    const search = operator.api.console.operator.audit.search.query;
    const suspensions = await search({ action: 'partner.suspended', since: before });
    expect(suspensions.entries.map((e) => e.partner_id)).toEqual([a.id, b.id, a.id]);
    expect(suspensions.entries[0]).toMatchObject({
      actor_type: 'operator',
      actor_id: operatorId,
      target_id: a.id,
    });
    // The operator sees every actor's address (a partner sees only its own credentials').
    expect(suspensions.entries[0]!.ip).toBeTruthy();

    const ofB = await search({ partner_id: b.id, action_prefix: 'partner.' });
    expect(ofB.entries.map((e) => e.action)).toEqual([
      'partner.unsuspended',
      'partner.suspended',
      'partner.created',
    ]);

    const byActor = await search({ actor_type: 'operator', actor_id: operatorId, since: before, limit: 4 });
    expect(byActor.entries).toHaveLength(4);
    const rest = await search({
      actor_type: 'operator',
      actor_id: operatorId,
      since: before,
      limit: 4,
      cursor: byActor.next_cursor!,
    });
    expect([rest.entries.length, rest.next_cursor]).toEqual([2, null]);
    expect(new Set([...byActor.entries, ...rest.entries].map((e) => e.id)).size).toBe(6);

    expect((await search({ action: 'partner.suspended', until: before, since: before })).entries).toEqual([]);
    expect(await consoleErrorCode(search({ since: 'yesterday' }))).toBe('validation_failed');
    expect(await consoleErrorCode(search({ partner_id: 'not-a-partner' }))).toBe('validation_failed');
  });

  it('reports system health with the /metrics gauges, deliveries per minute and failing destinations', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'Health Partner');
    const em = hub.em();
    const event = await webhookEventFactory(em, partner);
    const delivery = await webhookDeliveryFactory(em, event);
    await webhookAttemptFactory(em, delivery, { startedAt: hub.clock.now(), responseStatus: 200 });
    await webhookAttemptFactory(em, delivery, { startedAt: hub.clock.now(), responseStatus: 500 });
    await webhookAttemptFactory(em, delivery, { startedAt: hub.clock.now(), responseStatus: null });
    const destination = await em.findOneOrFail(WebhookDestination, { partner: partner.id });
    destination.url = 'https://hooks.health.example/secret-path?token=abc';
    destination.failingSince = hub.clock.now();
    destination.consecutiveFailures = 3;
    await em.flush();

    const health = await operator.api.console.operator.health.query();
    expect(health.checks).toEqual({ database: 'ok', migrations: 'ok', worker: 'ok' });
    expect(health.ready).toBe(true);
    expect(health.gauges?.destinations.failing).toBeGreaterThanOrEqual(1);
    expect(health.gauges?.jobs).toMatchObject({ due: expect.any(Number), running: expect.any(Number) });
    expect(health.deliveries_per_minute).toHaveLength(60);
    const last = health.deliveries_per_minute.at(-1)!;
    expect([last.succeeded, last.failed]).toEqual([1, 2]);
    expect(health.queue_samples.length).toBeGreaterThanOrEqual(1);
    const failing = health.failing_destinations.find((d) => d.id === destination.id);
    // Only the scheme and host: the path and query may hold the partner's secrets.
    expect(failing).toMatchObject({
      partner_name: 'Health Partner',
      host: 'https://hooks.health.example',
      consecutive_failures: 3,
    });
    expect(JSON.stringify(health)).not.toContain('secret-path');
  });
});
