import { describe, expect, it } from 'vitest';
import { RateLimits } from '../../server/modules/rate-limits/rate-limits.ts';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub();

describe('read and write budgets counted in memory and written in batches', () => {
  it('within one process, refuse exactly at the limit', async () => {
    // 150 a minute: batched (1 % is one request; smaller budgets are counted in the store).
    const limits = new RateLimits(hub.deps.pgPool, {
      readPerMinute: 150,
      writePerMinute: 150,
      revealPerHour: 5,
    });
    const states = [];
    for (let i = 0; i < 160; i++) states.push(await limits.consume('prt_one_process', 'read'));
    expect(states.filter((s) => s.allowed)).toHaveLength(150);
    expect(states.map((s) => s.remaining).slice(0, 3)).toEqual([149, 148, 147]);
    expect(states[150]?.allowed).toBe(false);
  });

  it('across processes, admit at most limit × (1 + 2 % × processes), and share what they spent', async () => {
    const limit = 500;
    const processes = Array.from(
      { length: 3 },
      () =>
        new RateLimits(hub.deps.pgPool, { readPerMinute: limit, writePerMinute: limit, revealPerHour: 5 }),
    );
    let allowed = 0;
    for (let round = 0; round < 300; round++) {
      const states = await Promise.all(processes.map((p) => p.consume('prt_shared', 'read')));
      allowed += states.filter((s) => s.allowed).length;
    }
    expect(allowed).toBeGreaterThanOrEqual(limit);
    expect(allowed).toBeLessThanOrEqual(limit * (1 + 0.02 * processes.length));
    // What they spent reached the store: a fourth process finds the budget spent.
    await Promise.all(processes.map((p) => p.flush()));
    const fourth = new RateLimits(hub.deps.pgPool, {
      readPerMinute: limit,
      writePerMinute: limit,
      revealPerHour: 5,
    });
    expect((await fourth.consume('prt_shared', 'read')).allowed).toBe(false);
  });
});
