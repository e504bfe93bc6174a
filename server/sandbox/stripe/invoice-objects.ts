import { randomBase62 } from '../ids.ts';
import type { StripeObject } from './store.ts';

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';

export interface LineItem {
  id: string;
  object: 'line_item';
  amount: number;
  currency: string;
  description: string | null;
  [field: string]: unknown;
}

export interface Invoice extends StripeObject {
  object: 'invoice';
  customer: string;
  currency: string;
  status: InvoiceStatus;
  collection_method: 'charge_automatically' | 'send_invoice';
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  subtotal: number;
  total: number;
  attempt_count: number;
  attempted: boolean;
  default_payment_method: string | null;
  hosted_invoice_url: string | null;
  lines: { object: 'list'; data: LineItem[]; has_more: false; total_count: number; url: string };
  status_transitions: {
    finalized_at: number | null;
    paid_at: number | null;
    marked_uncollectible_at: null;
    voided_at: null;
  };
  metadata: Record<string, string>;
  days_until_due: number | null;
  due_date: number | null;
}

export function newInvoice(
  id: string,
  created: number,
  fields: Partial<Invoice> & Pick<Invoice, 'customer' | 'currency'>,
): Invoice {
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Partner Hub sandbox',
    amount_due: 0,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: 0,
    amount_shipping: 0,
    attempt_count: 0,
    attempted: false,
    auto_advance: false,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    billing_reason: 'manual',
    collection_method: 'charge_automatically',
    created,
    customer_email: null,
    customer_name: null,
    days_until_due: null,
    default_payment_method: null,
    description: null,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    last_finalization_error: null,
    lines: { object: 'list', data: [], has_more: false, total_count: 0, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    parent: null,
    period_end: created,
    period_start: created,
    starting_balance: 0,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: 0,
    subtotal_excluding_tax: 0,
    total: 0,
    total_discount_amounts: [],
    total_excluding_tax: 0,
    total_taxes: [],
    webhooks_delivered_at: null,
    ...fields,
  };
}

export interface InvoiceItem extends StripeObject {
  object: 'invoiceitem';
  amount: number;
  currency: string;
  customer: string;
  description: string | null;
  invoice: string | null;
  metadata: Record<string, string>;
}

export function newInvoiceItem(
  id: string,
  created: number,
  fields: Pick<InvoiceItem, 'amount' | 'currency' | 'customer' | 'description' | 'invoice' | 'metadata'>,
): InvoiceItem {
  return {
    id,
    object: 'invoiceitem',
    date: created,
    discountable: true,
    discounts: [],
    livemode: false,
    net_amount: fields.amount,
    parent: null,
    period: { end: created, start: created },
    pricing: null,
    proration: false,
    quantity: 1,
    tax_rates: [],
    test_clock: null,
    ...fields,
  };
}

/** Adds an item to a draft invoice as its `line_item`, and the totals with it. */
export function addLine(invoice: Invoice, item: InvoiceItem): void {
  invoice.lines.data.push({
    id: `il_${randomBase62(24)}`,
    object: 'line_item',
    amount: item.amount,
    currency: item.currency,
    description: item.description,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: invoice.id,
    livemode: false,
    metadata: item.metadata,
    parent: {
      type: 'invoice_item_details',
      invoice_item_details: {
        invoice_item: item.id,
        proration: false,
        proration_details: { credited_items: null },
        subscription: null,
      },
      subscription_item_details: null,
    },
    period: item.period,
    pricing: null,
    quantity: 1,
    taxes: [],
  });
  invoice.lines.total_count = invoice.lines.data.length;
  const total = invoice.lines.data.reduce((sum, line) => sum + line.amount, 0);
  Object.assign(invoice, {
    subtotal: total,
    subtotal_excluding_tax: total,
    total,
    total_excluding_tax: total,
    amount_due: Math.max(0, total),
    amount_remaining: Math.max(0, total),
  });
}
