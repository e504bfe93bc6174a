import type { MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { run } from '../../db/sql.ts';
import { routeMetaPayloads } from '../../modules/inbound/inbound-router.ts';

/**
 * Relays a Meta-shaped payload (meta-shaped.ts) through the Cloud API's inbound path, in one
 * transaction with the session's `last_message_at`. A payload seen before (a message delivered
 * again after a reconnect) is stored once and routed once.
 */
export async function relayPayload(
  orm: MikroORM,
  clock: Clock,
  sessionId: string,
  payload: Record<string, unknown>,
  message: boolean,
): Promise<void> {
  await orm.em.fork().transactional(async (tx) => {
    await routeMetaPayloads(tx, clock, [{ raw: Buffer.from(JSON.stringify(payload)), parsed: payload }]);
    if (message)
      await run(tx, 'update linked_device_sessions set last_message_at = ? where id = ?', [
        clock.now(),
        sessionId,
      ]);
  });
}
