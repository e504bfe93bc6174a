import { defineEntity, p } from '@mikro-orm/core';
import { AUDIT_ACTOR_TYPES } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty } from '../../db/columns.ts';
import { Partner } from '../partners/partner.entity.ts';

/** Who did what to which object, from where. Never holds a secret. */
export const AuditLogSchema = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_logs',
  properties: {
    id: idProperty('auditLog'),
    partner: () => p.manyToOne(Partner).nullable(),
    actorType: p.enum(AUDIT_ACTOR_TYPES),
    actorId: p.string().length(64).nullable(),
    action: p.string().length(100),
    targetType: p.string().length(64).nullable(),
    targetId: p.string().length(64).nullable(),
    requestId: p.string().length(128).nullable(),
    ip: p.string().length(64).nullable(),
    userAgent: p.text().nullable(),
    details: p.json<Record<string, unknown>>().nullable(),
    createdAt: createdAtProperty(),
  },
  indexes: [
    { properties: ['partner', 'id'] },
    { properties: ['targetId'] },
    // The operator's audit search across partners filters by actor or by action, newest first.
    { properties: ['actorId', 'id'] },
    { properties: ['action', 'id'] },
    // Retention deletes the oldest rows first.
    { properties: ['createdAt'] },
  ],
});

export class AuditLog extends AuditLogSchema.class {}
AuditLogSchema.setClass(AuditLog);
