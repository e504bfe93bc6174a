import { defineEntity, p } from '@mikro-orm/core';
import { CONSOLE_ROLES } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';
import { Partner } from '../partners/partner.entity.ts';

/**
 * Someone who signs in to `/console`: a partner's user (owner, developer, viewer) or an
 * operator of the hub (no partner). Distinct from client users, who sign in to hosted pages.
 */
export const ConsoleUserSchema = defineEntity({
  name: 'ConsoleUser',
  tableName: 'console_users',
  properties: {
    id: idProperty('consoleUser'),
    /** Null for operators only (a check constraint in the migration keeps the two together). */
    partner: () => p.manyToOne(Partner).nullable().deleteRule('cascade'),
    /** Stored lower-cased (`normaliseEmail`), so uniqueness is case-insensitive. */
    email: p.string().length(320).unique(),
    name: p.string().length(200).nullable(),
    passwordHash: p.text().hidden(),
    role: p.enum(CONSOLE_ROLES),
    /** SecretBox ciphertext of the TOTP secret (`SEALED.consoleUserTotp`), set while enrolling. */
    totpSecretSealed: p.text().nullable().hidden(),
    /** Set once a code from the authenticator app was confirmed: from then on login asks for one. */
    totpEnabledAt: p.datetime().nullable(),
    /** The last TOTP time step accepted, so a code cannot be replayed within its window. */
    totpLastStep: p.bigint('number').nullable().hidden(),
    lastLoginAt: p.datetime().nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  indexes: [{ properties: ['partner', 'id'] }],
  // Operators run the hub and belong to no partner; every other console user belongs to one.
  checks: [
    { name: 'console_users_operator_check', expression: `("role" = 'operator') = ("partner_id" is null)` },
  ],
});

export class ConsoleUser extends ConsoleUserSchema.class {}
ConsoleUserSchema.setClass(ConsoleUser);
