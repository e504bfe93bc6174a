import { describe, expect, it } from 'vitest';
import { trpcCallOf, trpcPathOf } from './trpc-call.ts';

describe('the lists bench over tRPC: the procedure serving a REST GET', () => {
  it('takes the path ids (not the partner’s) and the query as input', () => {
    const call = trpcCallOf('/partners/ptn_1/channels/ch_1/api_keys?cursor=abc&limit=20');
    expect(call).toEqual({
      procedure: 'apiKeys.list',
      input: { channel_id: 'ch_1', cursor: 'abc', limit: '20' },
    });
    expect(trpcPathOf(call)).toBe(
      `/trpc/apiKeys.list?input=${encodeURIComponent('{"cursor":"abc","limit":"20","channel_id":"ch_1"}')}`,
    );
  });

  it('tells a list from a read of one item, and refuses a path no GET serves', () => {
    expect(trpcCallOf('/partners/ptn_1/clients?status=suspended')).toEqual({
      procedure: 'clients.list',
      input: { status: 'suspended' },
    });
    expect(trpcCallOf('/partners/ptn_1/clients/cl_1').procedure).toBe('clients.get');
    expect(() => trpcCallOf('/partners/ptn_1/nothing')).toThrow(/no partner GET operation/);
  });
});
