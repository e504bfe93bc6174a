import { defineEntity, p } from '@mikro-orm/core';
import { CLIENT_WABA_STATUSES } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';
import { Client } from '../clients/client.entity.ts';

/**
 * A WABA a client signed up with through Embedded Signup that had no phone number yet
 * (FINISH_ONLY_WABA): the hub checked the signup code grants it, and keeps it `pending` until a
 * number of it is provisioned as a channel (then `connected`). Channels carry their WABA id
 * themselves; this row exists so a WABA without any channel is not lost.
 */
export const ClientWabaSchema = defineEntity({
  name: 'ClientWaba',
  tableName: 'client_wabas',
  properties: {
    id: idProperty('clientWaba'),
    client: () => p.manyToOne(Client).deleteRule('cascade'),
    wabaId: p.string().length(32).unique(),
    businessId: p.string().length(32).nullable(),
    status: p.enum(CLIENT_WABA_STATUSES).onCreate(() => 'pending' as const),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  indexes: [{ properties: ['client', 'id'] }],
});

export class ClientWaba extends ClientWabaSchema.class {}
ClientWabaSchema.setClass(ClientWaba);
