import type { Query } from '../store/db.ts';
import { chargeDecline } from './cards.ts';
import { type StripeSandbox, type StripeTx, stripeId } from './context.ts';
import type { Call } from './endpoint.ts';
import { StripeApiError, stripeErrors } from './errors.ts';
import { currencyOf } from './invoice-items.ts';
import { addLine, type Invoice, type InvoiceItem, newInvoice } from './invoice-objects.ts';
import type { Customer, PaymentMethod } from './objects.ts';
import {
  allowOnly,
  metadataUpdate,
  oneOf,
  optionalBoolean,
  optionalInteger,
  optionalString,
  requiredString,
} from './params.ts';
import { insertObject, loadObject, publicView, saveObject } from './store.ts';

export function createInvoice(sb: StripeSandbox) {
  return ({ params }: Call) => {
    allowOnly(params, [
      'customer',
      'currency',
      'description',
      'metadata',
      'collection_method',
      'days_until_due',
      'auto_advance',
      'pending_invoice_items_behavior',
      'default_payment_method',
      'expand',
    ]);
    const customerId = requiredString(params, 'customer');
    const collection =
      oneOf(params, 'collection_method', ['charge_automatically', 'send_invoice'] as const) ??
      'charge_automatically';
    const daysUntilDue = optionalInteger(params, 'days_until_due');
    if (collection === 'send_invoice' && daysUntilDue === undefined)
      throw stripeErrors.missing('days_until_due');
    const include =
      oneOf(params, 'pending_invoice_items_behavior', ['include', 'exclude'] as const) === 'include';
    return sb.write(async ({ q }) => {
      const customer = await loadObject<Customer>(q, 'customer', customerId, { param: 'customer' });
      const invoice = newInvoice(stripeId('in'), sb.now(), {
        customer: customerId,
        currency: currencyOf(params, 'usd'),
        collection_method: collection,
        days_until_due: collection === 'send_invoice' ? daysUntilDue! : null,
        auto_advance: optionalBoolean(params, 'auto_advance') ?? false,
        customer_email: customer.email,
        customer_name: customer.name,
        default_payment_method: optionalString(params, 'default_payment_method') ?? null,
        description: optionalString(params, 'description') ?? null,
        metadata: metadataUpdate(params),
      });
      if (include) {
        const pending = await q<{ data: InvoiceItem }>(
          `select data from sandbox.stripe_objects where customer = ? and type = 'invoiceitem'
             and data->>'invoice' is null and data->>'currency' = ? order by created_at for update`,
          [customerId, invoice.currency],
        );
        for (const { data: item } of pending) {
          item.invoice = invoice.id;
          await saveObject(q, item);
          addLine(invoice, item);
        }
      }
      await insertObject(q, invoice, sb.state.deps.clock.now());
      return invoice;
    });
  };
}

export function retrieveInvoice(sb: StripeSandbox) {
  return ({ id }: Call) => loadObject(sb.state.query, 'invoice', id);
}

async function finalize(sb: StripeSandbox, { q, emit }: StripeTx, invoice: Invoice): Promise<void> {
  const now = sb.now();
  const [{ count }] = (await q<{ count: string }>(
    `select count(*) from sandbox.stripe_objects where customer = ? and type = 'invoice' and data->>'number' is not null`,
    [invoice.customer],
  )) as [{ count: string }];
  const customer = await loadObject<Customer>(q, 'customer', invoice.customer);
  Object.assign(invoice, {
    status: invoice.amount_due === 0 ? 'paid' : 'open',
    number: `${customer.invoice_prefix}-${String(Number(count) + 1).padStart(4, '0')}`,
    effective_at: now,
    hosted_invoice_url: `${sb.baseUrl}/invoices/${invoice.id}`,
    due_date: invoice.days_until_due === null ? null : now + invoice.days_until_due * 86_400,
    ending_balance: 0,
  });
  invoice.status_transitions.finalized_at = now;
  if (invoice.status === 'paid') invoice.status_transitions.paid_at = now;
  await saveObject(q, invoice);
  emit('invoice.finalized', invoice);
  if (invoice.status === 'paid') emit('invoice.paid', invoice);
}

export function finalizeInvoice(sb: StripeSandbox) {
  return ({ params, id }: Call) => {
    allowOnly(params, ['auto_advance', 'expand']);
    return sb.write(async (tx) => {
      const invoice = await loadObject<Invoice>(tx.q, 'invoice', id, { lock: true });
      if (invoice.status !== 'draft') {
        throw stripeErrors.unexpectedState(
          'invoice_not_editable',
          "This invoice is already finalized, you can't re-finalize a non-draft invoice.",
        );
      }
      invoice.auto_advance = optionalBoolean(params, 'auto_advance') ?? invoice.auto_advance;
      await finalize(sb, tx, invoice);
      return invoice;
    });
  };
}

async function methodToCharge(q: Query, invoice: Invoice, given: string | undefined): Promise<PaymentMethod> {
  const customer = await loadObject<Customer>(q, 'customer', invoice.customer);
  const id = given ?? invoice.default_payment_method ?? customer.invoice_settings.default_payment_method;
  if (!id) {
    throw stripeErrors.unexpectedState(
      'invoice_no_payment_method',
      'This customer has no attached payment source or default payment method. Please consider adding a default payment method.',
    );
  }
  const method = await loadObject<PaymentMethod>(q, 'payment_method', id, { param: 'payment_method' });
  if (method.customer !== invoice.customer) {
    throw stripeErrors.invalidParam(
      'payment_method',
      `The payment method ${id} is not attached to customer ${invoice.customer}.`,
    );
  }
  return method;
}

/** Charges the invoice's card; a decline is stored and sent as `invoice.payment_failed`, then answered 402. */
export function payInvoice(sb: StripeSandbox) {
  return async ({ params, id }: Call) => {
    allowOnly(params, ['payment_method', 'off_session', 'paid_out_of_band', 'expand']);
    const outOfBand = optionalBoolean(params, 'paid_out_of_band') ?? false;
    const outcome = await sb.write(async (tx) => {
      const invoice = await loadObject<Invoice>(tx.q, 'invoice', id, { lock: true });
      const wasDraft = invoice.status === 'draft';
      if (wasDraft) await finalize(sb, tx, invoice);
      if (invoice.status === 'paid') {
        // Stripe pays an invoice of nothing at finalization.
        if (wasDraft) return { invoice };
        throw stripeErrors.unexpectedState('invoice_already_paid', 'Invoice is already paid');
      }
      if (invoice.status !== 'open') {
        throw stripeErrors.unexpectedState(
          'invoice_not_open',
          `You cannot pay an invoice with status ${invoice.status}.`,
        );
      }
      const method = outOfBand
        ? null
        : await methodToCharge(tx.q, invoice, optionalString(params, 'payment_method'));
      invoice.attempted = true;
      invoice.attempt_count += 1;
      const decline = method ? chargeDecline(method._behaviour, method._charge_decline) : null;
      if (decline) {
        await saveObject(tx.q, invoice);
        tx.emit('invoice.payment_failed', invoice);
        return { invoice, decline, method };
      }
      Object.assign(invoice, { status: 'paid', amount_paid: invoice.amount_due, amount_remaining: 0 });
      invoice.status_transitions.paid_at = sb.now();
      await saveObject(tx.q, invoice);
      tx.emit('invoice.paid', invoice);
      tx.emit('invoice.payment_succeeded', invoice);
      return { invoice };
    });
    if (outcome.decline) {
      throw new StripeApiError(402, {
        type: 'card_error',
        ...outcome.decline,
        doc_url: 'https://docs.stripe.com/error-codes/card-declined',
        payment_method: publicView(outcome.method),
      });
    }
    return outcome.invoice;
  };
}
