import { defineEntity, p } from '@mikro-orm/core';
import { createdAtProperty, idProperty } from '../../db/columns.ts';

/** A version of the provider's terms of service: where they are published, from when they apply. */
export const BillingTermsSchema = defineEntity({
  name: 'BillingTerms',
  tableName: 'billing_terms',
  properties: {
    id: idProperty('billingTerms'),
    version: p.integer().unique(),
    url: p.text(),
    effectiveAt: p.datetime(),
    createdAt: createdAtProperty(),
  },
});

export class BillingTerms extends BillingTermsSchema.class {}
BillingTermsSchema.setClass(BillingTerms);
