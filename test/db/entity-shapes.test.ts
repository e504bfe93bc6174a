import { describe, expect, it } from 'vitest';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { Permission } from '../../server/modules/permissions/permission.entity.ts';
import { channelFactory, clientFactory, partnerFactory, permissionFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub();

/** Every accessor function an entity instance holds as its own property. */
function ownAccessors(entity: object): Map<string, unknown[]> {
  const found = new Map<string, unknown[]>();
  for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(entity))) {
    if (d.get || d.set) found.set(name, [d.get, d.set]);
  }
  return found;
}

/**
 * Loaded rows share their entity's hidden classes: no instance gets accessor closures of its
 * own. Per-instance closures (MikroORM's `propagationOnPrototype`) give each row new hidden
 * classes, which V8 allocates in old space: a list request then left tens of kilobytes there
 * for the next full GC (docs/benchmarks.md, issue 14's lists).
 */
describe('entities loaded from the database', () => {
  it('share their accessors across instances, scalar and relation properties alike', async () => {
    const em = hub.em();
    const { partner } = await partnerFactory(em, hub.deps);
    const client = await clientFactory(em, partner);
    await clientFactory(em, partner);
    const a = await channelFactory(em, client);
    const b = await channelFactory(em, client);
    await permissionFactory(em, partner, a);
    await permissionFactory(em, partner, b);

    const loaded: [string, object[]][] = [
      ['Client', await hub.em().find(Client, { partner: partner.id }, { orderBy: { id: 'asc' } })],
      ['Permission', await hub.em().find(Permission, { partner: partner.id }, { orderBy: { id: 'asc' } })],
    ];
    for (const [entity, rows] of loaded) {
      expect(rows).toHaveLength(2);
      // Reading every property is what views do.
      for (const row of rows) for (const [, value] of Object.entries(row)) void value;
      const [first, second] = rows.map((r) => ownAccessors(r));
      expect([...second!.keys()]).toEqual([...first!.keys()]);
      for (const [name, fns] of first!) expect(second!.get(name), `${entity}.${name}`).toEqual(fns);
    }
  });
});
