import { defineEntity, p } from '@mikro-orm/core';
import { idProperty } from '../../db/columns.ts';
import { Channel } from '../channels/channel.entity.ts';
import { Partner } from '../partners/partner.entity.ts';

/**
 * The usage ledger: messages per partner, channel and UTC day, by direction and Meta's pricing
 * (category, pricing model, billable), counted from the `pricing` object on status webhooks
 * (outbound) and from inbound messages. What a business provider invoices from.
 */
export const UsageDaySchema = defineEntity({
  name: 'UsageDay',
  tableName: 'usage_days',
  properties: {
    id: idProperty('usageDay'),
    partner: () => p.manyToOne(Partner).deleteRule('cascade'),
    channel: () => p.manyToOne(Channel).deleteRule('cascade'),
    day: p.string().columnType('date'),
    direction: p.enum(['inbound', 'outbound'] as const),
    /** Meta's pricing category (`marketing`, `utility`, `authentication`, `service`, …). */
    category: p.string().length(64),
    /** `PMP` (per message) or the legacy `CBP`; empty for inbound messages. */
    pricingModel: p.string().length(16),
    billable: p.boolean(),
    /** The recipient's country (ISO 3166 alpha-2) from its phone number, `''` when unknown: Meta prices by it. */
    country: p.string().length(2).default(''),
    messages: p.integer(),
  },
  uniques: [
    {
      properties: [
        'partner',
        'channel',
        'day',
        'direction',
        'category',
        'pricingModel',
        'billable',
        'country',
      ],
    },
  ],
  indexes: [{ properties: ['partner', 'day'] }],
});

export class UsageDay extends UsageDaySchema.class {}
UsageDaySchema.setClass(UsageDay);
