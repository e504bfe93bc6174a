import { describe, expect, it } from 'vitest';
import { newId } from '../../server/ids.ts';

describe('newId', () => {
  it('sorts in creation order, also for ids made in the same millisecond', () => {
    // 2,000 ids in a tight loop span few milliseconds, so most share one with a neighbour.
    const ids = Array.from({ length: 2000 }, () => newId('client'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps its prefix and a lower-case ulid', () => {
    expect(newId('client')).toMatch(/^[a-z]+_[0-9a-hjkmnp-tv-z]{26}$/);
  });
});
