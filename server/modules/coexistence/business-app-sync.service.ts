import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { query } from '../../db/sql.ts';
import type { GraphClient } from '../../meta/graph-client.ts';
import { Channel } from '../channels/channel.entity.ts';
import { SEALED, unseal } from '../secrets/sealed-columns.ts';

export const SYNC_TASK = 'sync_business_app';
export const SYNC_TYPES = ['smb_app_state_sync', 'history'] as const;
export type SyncType = (typeof SYNC_TYPES)[number];

/**
 * After a coexistence number connects, the hub asks Meta for the WhatsApp Business app's contacts,
 * then its chat history (Meta's order; both must be asked within 24 hours of onboarding, and
 * each only once). One job per kind, added in the transaction that stores the channel, so the
 * request is made once the channel exists and the webhooks it causes find their partner. A
 * job key per channel and kind replaces a job still waiting instead of adding a second (a new
 * signup of the number is a new onboarding at Meta, which allows the syncs again).
 */
export async function enqueueBusinessAppSync(
  tx: EntityManager,
  clock: Clock,
  channelId: string,
): Promise<void> {
  await query(
    tx,
    `select 1 from graphile_worker.add_jobs(array(
       select r from json_populate_recordset(null::graphile_worker.job_spec, ?::json) r
     ), true)`,
    [
      JSON.stringify(
        SYNC_TYPES.map((type, i) => ({
          identifier: SYNC_TASK,
          payload: { channel_id: channelId, sync_type: type },
          job_key: `${SYNC_TASK}:${channelId}:${type}`,
          // The hub's clock, not the database's: jobs run on it (and tests move it).
          run_at: clock.now().toISOString(),
          // Contacts first, as Meta asks.
          priority: i,
          max_attempts: 5,
        })),
      ),
    ],
  );
}

/**
 * Makes one sync request for a channel. Nothing to do when the channel is gone, not a coexistence
 * number, or holds no token (a later signup enqueues again); a Graph failure throws so the job
 * is retried with graphile-worker's backoff.
 */
export async function requestBusinessAppSync(
  em: EntityManager,
  deps: { graph: GraphClient; secretBox: SecretBox },
  channelId: string,
  syncType: SyncType,
): Promise<string | null> {
  const channel = await em.findOne(Channel, channelId);
  if (channel?.connectionType !== 'coexistence' || !channel.metaTokenSealed) return null;
  if (!['connected', 'live', 'restricted'].includes(channel.status)) return null;
  const token = unseal(deps.secretBox, SEALED.channelMetaToken, channel.id, channel.metaTokenSealed);
  return deps.graph.syncBusinessApp(channel.phoneNumberId, token, syncType);
}
