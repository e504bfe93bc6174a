import { type StripeSandbox, stripeId } from './context.ts';
import type { Call } from './endpoint.ts';
import { stripeErrors } from './errors.ts';
import { addLine, type Invoice, newInvoiceItem } from './invoice-objects.ts';
import type { Customer } from './objects.ts';
import {
  allowOnly,
  metadataUpdate,
  optionalString,
  type Params,
  requiredInteger,
  requiredString,
} from './params.ts';
import { insertObject, loadObject, saveObject } from './store.ts';

export function currencyOf(params: Params, fallback?: string): string {
  const currency = (
    fallback === undefined
      ? requiredString(params, 'currency')
      : (optionalString(params, 'currency') ?? fallback)
  ).toLowerCase();
  if (!/^[a-z]{3}$/.test(currency))
    throw stripeErrors.invalidParam('currency', `Invalid currency: ${currency}.`);
  return currency;
}

/** An invoice item: on the given draft invoice (a line of it at once), or pending for the customer's next one. */
export function createInvoiceItem(sb: StripeSandbox) {
  return ({ params }: Call) => {
    allowOnly(params, ['customer', 'amount', 'currency', 'description', 'invoice', 'metadata', 'expand']);
    const customerId = requiredString(params, 'customer');
    const amount = requiredInteger(params, 'amount');
    const currency = currencyOf(params);
    const invoiceId = optionalString(params, 'invoice');
    return sb.write(async ({ q }) => {
      await loadObject<Customer>(q, 'customer', customerId, { param: 'customer' });
      const invoice = invoiceId
        ? await loadObject<Invoice>(q, 'invoice', invoiceId, { lock: true, param: 'invoice' })
        : undefined;
      if (invoice) {
        if (invoice.status !== 'draft') {
          throw stripeErrors.unexpectedState(
            'invoice_not_editable',
            'You can only add invoice items to draft invoices.',
          );
        }
        if (invoice.customer !== customerId) {
          throw stripeErrors.invalidParam(
            'invoice',
            `The invoice ${invoice.id} belongs to another customer.`,
          );
        }
        if (invoice.currency !== currency) {
          throw stripeErrors.invalidParam(
            'currency',
            `The currency ${currency} does not match the invoice's ${invoice.currency}.`,
          );
        }
      }
      const item = newInvoiceItem(stripeId('ii'), sb.now(), {
        amount,
        currency,
        customer: customerId,
        description: optionalString(params, 'description') ?? null,
        invoice: invoice?.id ?? null,
        metadata: metadataUpdate(params),
      });
      await insertObject(q, item, sb.state.deps.clock.now());
      if (invoice) {
        addLine(invoice, item);
        await saveObject(q, invoice);
      }
      return item;
    });
  };
}
