import type { EntityManager } from '@mikro-orm/postgresql';
import type { StatementStatus } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import { query } from '../../db/sql.ts';
import type { PaymentGateway, PaymentResult } from '../../payments/payment-gateway.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { recordEvent } from '../webhooks/record-events.ts';
import { billingRecovered, markPastDue } from './billing-status.service.ts';
import { formatMinor } from './money.ts';
import { Statement } from './statement.entity.ts';
import { statementEventData } from './statements.service.ts';

export interface ChargeDeps {
  clock: Clock;
  payments: PaymentGateway | undefined;
  /** How long a direct-paid client may stay unpaid before its channels stop sending. */
  graceMs: number;
}

const SYSTEM: Actor = { type: 'system', id: 'billing' };

/** The payment provider's customer a partner's statements are invoiced to, made once. */
async function partnerCustomer(em: EntityManager, payments: PaymentGateway, s: Statement): Promise<string> {
  const partner = s.partner;
  if (partner.billingCustomerId) return partner.billingCustomerId;
  const { customerId } = await payments.createCustomer(
    { partnerId: partner.id, name: partner.brandName ?? partner.name },
    `customer:${partner.id}`,
  );
  partner.billingCustomerId = customerId;
  await em.flush();
  return customerId;
}

/**
 * Charges (Direct Payment) or invoices (Partner Payment) one statement, once: a job, retried
 * with the same idempotency key when the provider is unreachable. Settled statements are left
 * alone, so a retried job or a second trigger never charges twice.
 */
export async function chargeStatement(
  em: EntityManager,
  deps: ChargeDeps,
  statementId: string,
): Promise<void> {
  const s = await em.findOne(Statement, statementId, { populate: ['client', 'partner'] });
  if (!s || !CHARGEABLE.includes(s.status)) return;
  if (s.totalMinor === 0) {
    await settle(em, deps, s, { paid: true, invoiceId: null });
    return;
  }
  if (!deps.payments) {
    await settle(em, deps, s, failure(null, 'billing_not_configured', 'No payment provider is configured'));
    return;
  }
  if (s.paymentModel === 'partner') {
    const customerId = await partnerCustomer(em, deps.payments, s);
    const result = await deps.payments.issueInvoice(
      invoiceOf(s, customerId, 'send_invoice'),
      `statement:${s.id}`,
    );
    await recordResult(em, deps, s, result);
    return;
  }
  const client = s.client!;
  if (!client.billingCustomerId || !client.paymentMethodId) {
    await settle(
      em,
      deps,
      s,
      failure(s.invoiceId ?? null, 'no_payment_method', 'The business has no card on file'),
    );
    return;
  }
  const result = s.invoiceId
    ? await deps.payments.payInvoice(s.invoiceId)
    : await deps.payments.issueInvoice(
        invoiceOf(s, client.billingCustomerId, 'charge_automatically'),
        `statement:${s.id}`,
      );
  await recordResult(em, deps, s, result);
}

function invoiceOf(s: Statement, customerId: string, collection: 'charge_automatically' | 'send_invoice') {
  return {
    customerId,
    currency: s.currency,
    description: `WhatsApp messaging, ${s.period}`,
    lines: s.lines
      .filter((l) => l.amount_minor > 0)
      .map((l) => ({
        description: `${l.messages} × ${l.category} to ${l.country} (price list v${l.price_list_version})`,
        amountMinor: l.amount_minor,
      })),
    metadata: { statement_id: s.id, partner_id: s.partner.id, period: s.period },
    collection,
  };
}

type Outcome =
  | { paid: true; invoiceId: string | null }
  | { paid: false; invoiceId: string | null; code: string; message: string };

const failure = (invoiceId: string | null, code: string, message: string): Outcome => ({
  paid: false,
  invoiceId,
  code,
  message,
});

async function recordResult(
  em: EntityManager,
  deps: ChargeDeps,
  s: Statement,
  result: PaymentResult,
): Promise<void> {
  if (result.status === 'paid') {
    await settle(em, deps, s, { paid: true, invoiceId: result.invoiceId });
  } else if (result.failure) {
    await settle(
      em,
      deps,
      s,
      failure(result.invoiceId, result.failure.declineCode ?? result.failure.code, result.failure.message),
    );
  } else {
    // Partner Payment: the invoice waits for the partner; its `invoice.paid` settles it.
    await em.transactional(async (tx) => {
      await query(
        tx,
        `update statements set invoice_id = ?, status = 'awaiting_payment', updated_at = ? where id = ? and status = 'issued'`,
        [result.invoiceId, deps.clock.now(), s.id],
      );
    });
  }
}

/** What the charge job may settle: a new statement, or one whose payment failed (retried after a new card). */
const CHARGEABLE: StatementStatus[] = ['issued', 'payment_failed'];

/**
 * Records a settled charge with its event (and the client's standing) in one transaction, if
 * the statement is still in one of `from` (read under a row lock): the job and the provider's
 * webhook may report the same payment, and only the first is recorded.
 */
export async function settle(
  em: EntityManager,
  deps: Pick<ChargeDeps, 'clock' | 'graceMs'>,
  s: Statement,
  outcome: Outcome,
  from: StatementStatus[] = CHARGEABLE,
): Promise<boolean> {
  const now = deps.clock.now();
  return em.transactional(async (tx) => {
    const [current] = await query<{ status: StatementStatus }>(
      tx,
      'select status from statements where id = ? for update',
      [s.id],
    );
    if (!current || !from.includes(current.status)) return false;
    const statement = tx.merge(s);
    statement.invoiceId = outcome.invoiceId ?? statement.invoiceId ?? null;
    if (outcome.paid) {
      statement.status = 'paid';
      statement.paidAt = now;
      statement.failureCode = null;
      statement.failureMessage = null;
    } else {
      statement.status = 'payment_failed';
      statement.failureCode = outcome.code.slice(0, 64);
      statement.failureMessage = outcome.message;
    }
    recordAudit(tx, SYSTEM, {
      partner: statement.partner,
      action: outcome.paid ? 'statement.paid' : 'statement.payment_failed',
      target: { type: 'statement', id: statement.id },
      details: {
        total: formatMinor(statement.totalMinor, statement.currency),
        currency: statement.currency,
        invoice_id: statement.invoiceId ?? null,
        ...(outcome.paid ? {} : { failure_code: statement.failureCode }),
      },
    });
    const base = { ...statementEventData(statement), invoice_id: statement.invoiceId ?? null };
    if (outcome.paid) {
      await recordEvent(tx, deps.clock, {
        partnerId: statement.partner.id,
        type: 'payment.succeeded',
        data: base,
      });
      if (statement.client) await billingRecovered(tx, deps.clock, statement.client);
    } else {
      const since = statement.client ? markPastDue(tx, deps.clock, statement.client) : null;
      await recordEvent(tx, deps.clock, {
        partnerId: statement.partner.id,
        type: 'payment.failed',
        data: {
          ...base,
          failure_code: statement.failureCode!,
          failure_message: statement.failureMessage!,
          grace_until: since ? new Date(since.getTime() + deps.graceMs).toISOString() : null,
        },
      });
    }
    return true;
  });
}
