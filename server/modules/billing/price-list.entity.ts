import { defineEntity, p } from '@mikro-orm/core';
import { createdAtProperty, idProperty } from '../../db/columns.ts';

/** One price: a message of `category` to a recipient in `country` (ISO 3166 alpha-2, `*` for any other). */
export interface Rate {
  category: string;
  country: string;
  /** Meta's rate, in millionths of the currency unit (micros), so sub-cent rates are exact. */
  meta_micros: number;
  /** The provider's markup over Meta's rate, in percent. */
  markup_percent: number;
  /** What the client (or partner) pays per message, in micros: Meta's rate plus the markup, rounded. */
  price_micros: number;
}

/**
 * A version of the provider's price list: data, not code, so an operator publishes a new one
 * without a deploy. The version in force on a day is the newest whose `effectiveAt` is not
 * after that day; statements price each day's messages with it.
 */
export const PriceListSchema = defineEntity({
  name: 'PriceList',
  tableName: 'price_lists',
  properties: {
    id: idProperty('priceList'),
    version: p.integer().unique(),
    /** ISO 4217, lower case as Stripe writes it (`eur`, `usd`). */
    currency: p.string().length(3),
    effectiveAt: p.datetime(),
    rates: p.json<Rate[]>(),
    createdAt: createdAtProperty(),
  },
  indexes: [{ properties: ['effectiveAt'] }],
});

export class PriceList extends PriceListSchema.class {}
PriceListSchema.setClass(PriceList);
