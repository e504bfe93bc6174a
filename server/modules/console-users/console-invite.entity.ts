import { defineEntity, p } from '@mikro-orm/core';
import { PARTNER_USER_ROLES } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty } from '../../db/columns.ts';
import { Partner } from '../partners/partner.entity.ts';
import { ConsoleUser } from './console-user.entity.ts';

/** A one-time link inviting a teammate into a partner's console; only the token's digest is kept. */
export const ConsoleInviteSchema = defineEntity({
  name: 'ConsoleInvite',
  tableName: 'console_invites',
  properties: {
    id: idProperty('consoleInvite'),
    partner: () => p.manyToOne(Partner).deleteRule('cascade'),
    email: p.string().length(320),
    role: p.enum(PARTNER_USER_ROLES),
    tokenHash: p.string().length(64).unique().hidden(),
    invitedBy: () => p.manyToOne(ConsoleUser).nullable().deleteRule('set null'),
    expiresAt: p.datetime(),
    acceptedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    createdAt: createdAtProperty(),
  },
  indexes: [{ properties: ['partner', 'id'] }],
});

export class ConsoleInvite extends ConsoleInviteSchema.class {}
ConsoleInviteSchema.setClass(ConsoleInvite);
