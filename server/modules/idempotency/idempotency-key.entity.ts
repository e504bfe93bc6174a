import { defineEntity, p } from '@mikro-orm/core';
import { createdAtProperty, idProperty } from '../../db/columns.ts';
import { Partner } from '../partners/partner.entity.ts';

/** A partner's `Idempotency-Key` and the response it produced, kept for 24 h. */
export const IdempotencyKeySchema = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  properties: {
    id: idProperty('idempotencyKey'),
    partner: () => p.manyToOne(Partner).deleteRule('cascade'),
    key: p.string().length(255),
    /** Method, route and a hash of the body: the same key with another request is refused. */
    requestFingerprint: p.string().length(64),
    /** Null while the first request with this key is still in flight. */
    responseStatus: p.integer().nullable(),
    /** Our API answers with JSON objects (or nothing, for 204). */
    responseBody: p.json<Record<string, unknown>>().nullable(),
    createdAt: createdAtProperty(),
    expiresAt: p.datetime().index(),
  },
  uniques: [{ properties: ['partner', 'key'] }],
});

export class IdempotencyKey extends IdempotencyKeySchema.class {}
IdempotencyKeySchema.setClass(IdempotencyKey);
