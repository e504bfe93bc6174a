import type { EntityManager } from '@mikro-orm/postgresql';
import type { WebhookEvent } from '../../payments/payment-gateway.ts';
import { type ChargeDeps, settle } from './charge.service.ts';
import { Statement } from './statement.entity.ts';

/**
 * What the payment provider tells the hub about its invoices: a partner paying its invoice,
 * or a charge settled outside the hub's own call (a retry by the provider). The hub's own
 * charge already recorded its outcome; a repeated or reordered event changes nothing.
 */
export async function applyPaymentEvent(
  em: EntityManager,
  deps: Pick<ChargeDeps, 'clock' | 'graceMs'>,
  event: WebhookEvent,
): Promise<'applied' | 'ignored'> {
  if (event.type !== 'invoice.paid' && event.type !== 'invoice.payment_failed') return 'ignored';
  const invoiceId = typeof event.object.id === 'string' ? event.object.id : null;
  const metadata = (event.object.metadata ?? {}) as Record<string, unknown>;
  const statementId = typeof metadata.statement_id === 'string' ? metadata.statement_id : null;
  if (!invoiceId) return 'ignored';
  const s = await em.findOne(Statement, statementId ? { id: statementId } : { invoiceId }, {
    populate: ['client', 'partner'],
  });
  if (!s || (s.invoiceId && s.invoiceId !== invoiceId)) return 'ignored';
  if (event.type === 'invoice.paid') {
    // Paid by the partner, or collected by the provider after the hub's own charge failed.
    const applied = await settle(em, deps, s, { paid: true, invoiceId }, [
      'issued',
      'awaiting_payment',
      'payment_failed',
    ]);
    return applied ? 'applied' : 'ignored';
  }
  // The hub's own charges record their failures themselves; this reports a partner's invoice.
  const error = (event.object.last_finalization_error ?? {}) as Record<string, unknown>;
  const applied = await settle(
    em,
    deps,
    s,
    {
      paid: false,
      invoiceId,
      code: typeof error.code === 'string' ? error.code : 'payment_failed',
      message:
        typeof error.message === 'string'
          ? error.message
          : 'The payment provider could not collect the invoice',
    },
    ['awaiting_payment'],
  );
  return applied ? 'applied' : 'ignored';
}
