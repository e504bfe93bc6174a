import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientStatus } from '../../../shared/statuses.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { Client } from './client.entity.ts';

/**
 * Suspends or reinstates a business (an operator decision, e.g. for abuse). A suspended
 * client's channels stop sending through `/waba` within a second (the channel key verifier
 * resolves keys of active clients only) and its users cannot grant access; grants already
 * made stay in place, so reinstating restores service exactly as it was.
 */
export async function setClientStatus(
  em: EntityManager,
  clientId: string,
  status: ClientStatus,
  actor: Actor,
): Promise<Client> {
  const client = await em.findOne(Client, clientId, { populate: ['partner'] });
  if (!client) throw new AppError('not_found', `No client ${clientId}`);
  if (client.status === status) return client;
  client.status = status;
  recordAudit(em, actor, {
    partner: client.partner,
    action: status === 'suspended' ? 'client.suspended' : 'client.reinstated',
    target: { type: 'client', id: client.id },
  });
  await em.flush();
  return client;
}

/** Refuses what only an active client may do. */
export function assertClientActive(client: Client, what: string): void {
  if (client.status !== 'active') {
    throw new AppError('client_suspended', `This business is suspended and cannot ${what}`);
  }
}
