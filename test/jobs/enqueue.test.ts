import { describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { IdempotencyKey } from '../../server/modules/idempotency/idempotency-key.entity.ts';
import { enqueue } from '../support/enqueue.ts';
import { idempotencyKeyFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub();

async function queuedJobs(task: string): Promise<number> {
  const rows = await query<{ n: number }>(
    hub.em(),
    'select count(*)::int as n from graphile_worker.jobs where task_identifier = ?',
    [task],
  );
  return rows[0]!.n;
}

describe('enqueue', () => {
  it('adds nothing when the surrounding transaction rolls back', async () => {
    const before = await queuedJobs('prune_expired');
    await expect(
      hub.em().transactional(async (em) => {
        await enqueue(em, hub.clock, 'prune_expired', {});
        throw new Error('the domain write failed');
      }),
    ).rejects.toThrow('the domain write failed');
    expect(await queuedJobs('prune_expired')).toBe(before);
  });

  it('adds the job when the transaction commits, and draining runs it', async () => {
    const em = hub.em();
    const { partner } = await partnerFactory(em, hub.deps);
    const expired = await idempotencyKeyFactory(em, partner, {
      expiresAt: new Date(hub.clock.now().getTime() - 1000),
    });
    const live = await idempotencyKeyFactory(em, partner, {
      expiresAt: new Date(hub.clock.now().getTime() + 3600_000),
    });

    await hub.em().transactional((tx) => enqueue(tx, hub.clock, 'prune_expired', {}));
    expect(await queuedJobs('prune_expired')).toBe(1);

    await hub.drainJobs();
    expect(await queuedJobs('prune_expired')).toBe(0);
    const remaining = await hub.em().find(IdempotencyKey, { partner: partner.id });
    expect(remaining.map((k) => k.id)).toEqual([live.id]);
    expect(remaining.map((k) => k.id)).not.toContain(expired.id);
  });

  it('validates the payload against the task catalogue before writing', async () => {
    await expect(
      // @ts-expect-error: the catalogue types the payload; a wrong one must also fail at runtime.
      enqueue(hub.em(), hub.clock, 'prune_expired', 'not an object'),
    ).rejects.toThrow();
  });
});
