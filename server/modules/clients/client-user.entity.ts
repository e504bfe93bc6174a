import { defineEntity, p } from '@mikro-orm/core';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';
import { Client } from './client.entity.ts';

export const ClientUserSchema = defineEntity({
  name: 'ClientUser',
  tableName: 'client_users',
  properties: {
    id: idProperty('clientUser'),
    client: () => p.manyToOne(Client).deleteRule('cascade'),
    /** Stored lower-cased, so uniqueness is case-insensitive. */
    email: p.string().length(320).unique(),
    passwordHash: p.text().hidden(),
    name: p.string().length(200).nullable(),
    lastLoginAt: p.datetime().nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  indexes: [{ properties: ['client', 'id'] }],
});

export class ClientUser extends ClientUserSchema.class {}
ClientUserSchema.setClass(ClientUser);
