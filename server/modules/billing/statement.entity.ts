import { defineEntity, p } from '@mikro-orm/core';
import { STATEMENT_STATUSES } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';
import { Client } from '../clients/client.entity.ts';
import { Partner } from '../partners/partner.entity.ts';

/** One priced line: the billable messages of a category to a country on the days one price-list version was in force. */
export interface StatementLine {
  category: string;
  country: string;
  price_list_version: number;
  messages: number;
  unit_price_micros: number;
  /** messages × unit price, rounded to the currency's minor unit (cents). */
  amount_minor: number;
}

/**
 * A month's bill: per client for Direct Payment, per partner (all its clients) for Partner
 * Payment. Stored as issued, so a later price list never changes it; paid through the payment
 * adapter's invoice.
 */
export const StatementSchema = defineEntity({
  name: 'Statement',
  tableName: 'statements',
  properties: {
    id: idProperty('statement'),
    partner: () => p.manyToOne(Partner).deleteRule('cascade'),
    /** The client billed (Direct Payment); null for a partner's statement. */
    client: () => p.manyToOne(Client).nullable().deleteRule('cascade'),
    /** The UTC month, `YYYY-MM`. */
    period: p.string().length(7),
    paymentModel: p.enum(['partner', 'direct'] as const),
    currency: p.string().length(3),
    lines: p.json<StatementLine[]>(),
    totalMinor: p.integer(),
    status: p.enum(STATEMENT_STATUSES),
    invoiceId: p.string().length(255).nullable(),
    failureCode: p.string().length(64).nullable(),
    failureMessage: p.text().nullable(),
    issuedAt: p.datetime(),
    paidAt: p.datetime().nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  // One statement per client and month, and one per partner and month for its own.
  uniques: [
    {
      name: 'statements_client_period_unique',
      properties: ['partner', 'client', 'period'],
      where: 'client_id is not null',
    },
    {
      name: 'statements_partner_period_unique',
      properties: ['partner', 'period'],
      where: 'client_id is null',
    },
  ],
  indexes: [
    { properties: ['partner', 'id'] },
    { properties: ['client', 'id'] },
    { properties: ['invoiceId'] },
  ],
});

export class Statement extends StatementSchema.class {}
StatementSchema.setClass(Statement);
