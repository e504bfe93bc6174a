import type { EntityManager } from '@mikro-orm/postgresql';
import type { StatementView } from '../../../shared/schemas/billing.ts';
import type { Clock } from '../../clock.ts';
import { query } from '../../db/sql.ts';
import { newId } from '../../ids.ts';
import { Client } from '../clients/client.entity.ts';
import { Partner } from '../partners/partner.entity.ts';
import { recordEvent } from '../webhooks/record-events.ts';
import { formatMicros, formatMinor } from './money.ts';
import { Statement } from './statement.entity.ts';
import { type PricedUsage, priceUsage } from './statement-lines.ts';

export const CHARGE_TASK = 'charge_statement';

/** The charge is a job added in the statement's transaction: a crash between the two loses neither. */
export async function enqueueCharge(tx: EntityManager, clock: Clock, statementId: string): Promise<void> {
  await query(
    tx,
    `select graphile_worker.add_job(identifier => ?, payload => ?::json, run_at => ?::timestamptz,
       max_attempts => 10, job_key => ?)`,
    [
      CHARGE_TASK,
      JSON.stringify({ statement_id: statementId }),
      clock.now().toISOString(),
      `${CHARGE_TASK}:${statementId}`,
    ],
  );
}

export function statementEventData(s: Statement) {
  return {
    statement_id: s.id,
    client_id: s.client?.id ?? null,
    period: s.period,
    currency: s.currency,
    total: formatMinor(s.totalMinor, s.currency),
    payment_model: s.paymentModel,
  };
}

/**
 * Issues one month's statement (of a direct-paid client, or of a partner-paid partner) from
 * its priced usage: stored as computed, announced with `statement.issued`, and its charge
 * queued, all in one transaction. A second call for the same month returns the first
 * statement: the month is billed once.
 */
export async function issueStatement(
  em: EntityManager,
  clock: Clock,
  scope: { partner: Partner; client: Client | null },
  period: string,
  priced?: PricedUsage | null,
): Promise<Statement | null> {
  const existing = await em.findOne(Statement, { partner: scope.partner, client: scope.client, period });
  if (existing) return existing;
  const usage =
    priced !== undefined
      ? priced
      : await priceUsage(
          em,
          { partnerId: scope.partner.id, clientId: scope.client?.id ?? null, onlyPartnerPaid: !scope.client },
          period,
        );
  if (!usage) return null;
  return em.transactional(async (tx) => {
    // Two issuers of the same month (the cron on two workers, an operator) make one statement.
    const [claimed] = await query<{ id: string }>(
      tx,
      `insert into statements (id, partner_id, client_id, period, payment_model, currency, lines, total_minor, status, issued_at, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, 'issued', ?, ?, ?)
       on conflict do nothing
       returning id`,
      [
        newId('statement'),
        scope.partner.id,
        scope.client?.id ?? null,
        period,
        scope.client ? 'direct' : 'partner',
        usage.currency,
        JSON.stringify(usage.lines),
        usage.totalMinor,
        clock.now(),
        clock.now(),
        clock.now(),
      ],
    );
    if (!claimed)
      return tx.findOneOrFail(Statement, { partner: scope.partner, client: scope.client, period });
    const statement = await tx.findOneOrFail(Statement, claimed.id, { populate: ['client'] });
    await recordEvent(tx, clock, {
      partnerId: scope.partner.id,
      type: 'statement.issued',
      data: statementEventData(statement),
    });
    await enqueueCharge(tx, clock, statement.id);
    return statement;
  });
}

/**
 * Issues every statement of `period`: each direct-paid client with billable usage, and each
 * partner-paid partner for its clients' usage under Partner Payment. Statements already
 * issued are left as they are. `only` keeps to one partner's (the sandbox demo bills its own
 * partner early without closing anyone else's month).
 */
export async function issueStatements(
  em: EntityManager,
  clock: Clock,
  period: string,
  only?: { partnerId: string },
): Promise<{ issued: number; skipped: { scope: string; reason: string }[] }> {
  const start = `${period}-01`;
  const scopes = await query<{ partner_id: string; client_id: string | null }>(
    em,
    `select distinct u.partner_id, case when cl.payment_model = 'direct' then cl.id end as client_id
       from usage_days u join channels c on c.id = u.channel_id join clients cl on cl.id = c.client_id
      where u.billable and u.direction = 'outbound' and u.day >= ?::date and u.day < (?::date + interval '1 month')
        ${only ? 'and u.partner_id = ?' : ''}
      order by 1, 2`,
    [start, start, ...(only ? [only.partnerId] : [])],
  );
  let issued = 0;
  const skipped: { scope: string; reason: string }[] = [];
  for (const scope of scopes) {
    const fork = em.fork();
    try {
      const partner = await fork.findOneOrFail(Partner, scope.partner_id);
      const client = scope.client_id ? await fork.findOneOrFail(Client, scope.client_id) : null;
      const priced = await priceUsage(
        fork,
        { partnerId: partner.id, clientId: client?.id ?? null, onlyPartnerPaid: !client },
        period,
      );
      if (await issueStatement(fork, clock, { partner, client }, period, priced)) issued++;
    } catch (err) {
      skipped.push({ scope: scope.client_id ?? scope.partner_id, reason: (err as Error).message });
    }
  }
  return { issued, skipped };
}

export function toStatementView(s: Statement): StatementView {
  return {
    id: s.id,
    partner_id: s.partner.id,
    client_id: s.client?.id ?? null,
    period: s.period,
    payment_model: s.paymentModel,
    currency: s.currency,
    lines: s.lines.map((l) => ({
      category: l.category,
      country: l.country,
      price_list_version: l.price_list_version,
      messages: l.messages,
      unit_price: formatMicros(l.unit_price_micros),
      amount: formatMinor(l.amount_minor, s.currency),
    })),
    total: formatMinor(s.totalMinor, s.currency),
    status: s.status,
    failure_code: s.failureCode ?? null,
    issued_at: s.issuedAt.toISOString(),
    paid_at: s.paidAt?.toISOString() ?? null,
  };
}
