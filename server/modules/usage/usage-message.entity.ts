import { defineEntity, p } from '@mikro-orm/core';
import { createdAtProperty, idProperty } from '../../db/columns.ts';
import { Partner } from '../partners/partner.entity.ts';

/**
 * A message already counted in the ledger, per partner: Meta reports a message several times
 * (sent, delivered, read; retries; out of order) and each counts once. Pruned with the events.
 */
export const UsageMessageSchema = defineEntity({
  name: 'UsageMessage',
  tableName: 'usage_messages',
  properties: {
    id: idProperty('usageMessage'),
    partner: () => p.manyToOne(Partner).deleteRule('cascade'),
    wamid: p.string().length(256),
    createdAt: createdAtProperty(),
  },
  uniques: [{ properties: ['partner', 'wamid'] }],
  indexes: [{ properties: ['createdAt'] }],
});

export class UsageMessage extends UsageMessageSchema.class {}
UsageMessageSchema.setClass(UsageMessage);
