import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { runCli } from '../support/processes.ts';

/** What an operator does from the shell: who pays, the terms, the prices, and a month's statements. */
describe('partner-hub billing', () => {
  const hub = useTestHub();
  const env = () => ({ DATABASE_URL: hub.databaseUrl, HUB_SECRET: hub.deps.config.hubSecret! });

  it('sets a partner’s payment model, publishes terms and prices, shows them, and refuses bad input', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'CLI SaaS');
    const set = await runCli(['billing', 'payment-model', partner.id, 'direct'], env());
    expect([set.code, set.stdout.trim()]).toEqual([0, `Partner ${partner.id} now uses direct payment.`]);
    expect((await hub.em().findOneOrFail(Partner, partner.id)).paymentModel).toBe('direct');
    expect(await hub.em().count(WebhookEvent, { partner: partner.id, type: 'partner.updated' })).toBe(1);
    expect(
      await hub.em().count(AuditLog, { action: 'partner.payment_model_set', targetId: partner.id }),
    ).toBe(1);
    const wrong = await runCli(['billing', 'payment-model', partner.id, 'prepaid'], env());
    expect([wrong.code, wrong.stderr]).toEqual([
      1,
      'error: the payment model is partner or direct (got "prepaid")\n',
    ]);

    const terms = await runCli(
      ['billing', 'terms', 'publish', '--url', 'https://provider.example/terms', '--json'],
      env(),
    );
    expect(JSON.parse(terms.stdout)).toMatchObject({ version: 1, url: 'https://provider.example/terms' });

    const file = join(tmpdir(), `prices-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        currency: 'eur',
        markup_percent: 12.5,
        rates: [{ category: 'marketing', country: 'DE', meta_rate: '0.1365' }],
      }),
    );
    const prices = await runCli(
      ['billing', 'prices', 'publish', '--file', file, '--effective', '2026-01-01', '--json'],
      env(),
    );
    expect(prices.code).toBe(0);
    expect(JSON.parse(prices.stdout)).toMatchObject({
      version: 1,
      effective_at: '2026-01-01T00:00:00.000Z',
      rates: [
        {
          category: 'marketing',
          country: 'DE',
          meta_rate: '0.1365',
          markup_percent: 12.5,
          price: '0.153563',
        },
      ],
    });
    writeFileSync(
      file,
      JSON.stringify({
        currency: 'EUR',
        rates: [{ category: 'marketing', country: 'Germany', meta_rate: '-1' }],
      }),
    );
    const invalid = await runCli(['billing', 'prices', 'publish', '--file', file], env());
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^error: .*currency: an ISO 4217 code/);

    const shown = await runCli(['billing', 'show'], env());
    expect(shown.stdout).toContain('Terms version 1: https://provider.example/terms');
    expect(shown.stdout).toMatch(/marketing\s+DE\s+0\.1365\s+12\.5\s+0\.153563/);

    const issued = await runCli(['billing', 'statements', 'issue', '--period', '2026-11', '--json'], env());
    expect(JSON.parse(issued.stdout)).toEqual({ issued: 0, skipped: [] });
  }, 90_000);
});
