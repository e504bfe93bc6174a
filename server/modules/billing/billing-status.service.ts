import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { query } from '../../db/sql.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { Client } from '../clients/client.entity.ts';
import { recordEvents } from '../webhooks/record-events.ts';
import { Statement } from './statement.entity.ts';

const SYSTEM: Actor = { type: 'system', id: 'billing' };

/** A failed payment makes a client `past_due` (once: the grace period runs from the first failure). */
export function markPastDue(tx: EntityManager, clock: Clock, client: Client): Date {
  if (client.billingStatus === 'ok' || !client.pastDueSince) {
    client.billingStatus = client.billingStatus === 'suspended' ? 'suspended' : 'past_due';
    client.pastDueSince ??= clock.now();
    tx.persist(client);
  }
  return client.pastDueSince!;
}

/** `channel.updated` (`billing_status`) for each channel of the client, to every partner holding it. */
async function announceChannels(tx: EntityManager, clock: Clock, client: Client): Promise<void> {
  const held = await query<{ partner_id: string; channel_id: string; status: string }>(
    tx,
    `select distinct p.partner_id, c.id as channel_id, c.status
       from channels c join permissions p on p.channel_id = c.id and p.revoked_at is null
      where c.client_id = ? order by 1, 2`,
    [client.id],
  );
  await recordEvents(
    tx,
    clock,
    held.map((h) => ({
      partnerId: h.partner_id,
      type: 'channel.updated' as const,
      data: {
        channel_id: h.channel_id,
        client_id: client.id,
        status: h.status,
        changed_fields: ['billing_status'],
      },
    })),
  );
}

/** Once nothing of the client's is unpaid any more, it is in good standing again and its channels send. */
export async function billingRecovered(tx: EntityManager, clock: Clock, client: Client): Promise<void> {
  if (client.billingStatus === 'ok') return;
  const unpaid = await tx.count(Statement, { client, status: 'payment_failed' });
  if (unpaid > 0) return;
  const wasSuspended = client.billingStatus === 'suspended';
  client.billingStatus = 'ok';
  client.pastDueSince = null;
  tx.persist(client);
  recordAudit(tx, SYSTEM, {
    partner: client.partner,
    action: 'client.billing_recovered',
    target: { type: 'client', id: client.id },
  });
  if (wasSuspended) await announceChannels(tx, clock, client);
}

/**
 * Suspends sending for every direct-paid client whose payment has been overdue longer than the
 * grace period (a recurring job). Returns how many it suspended.
 */
export async function enforceGracePeriod(em: EntityManager, clock: Clock, graceMs: number): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - graceMs);
  const due = await em.find(
    Client,
    { billingStatus: 'past_due', pastDueSince: { $lte: cutoff } },
    { limit: 500 },
  );
  for (const client of due) {
    await em.transactional(async (tx) => {
      client.billingStatus = 'suspended';
      tx.persist(client);
      recordAudit(tx, SYSTEM, {
        partner: client.partner,
        action: 'client.billing_suspended',
        target: { type: 'client', id: client.id },
        details: { past_due_since: client.pastDueSince?.toISOString() ?? null },
      });
      await announceChannels(tx, clock, client);
    });
  }
  return due.length;
}
