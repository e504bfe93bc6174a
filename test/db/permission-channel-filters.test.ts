import pg from 'pg';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { newId } from '../../server/ids.ts';
import { channelFactory, clientFactory, partnerFactory, permissionFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const hub = useTestHub();

interface Copies {
  id: string;
  channel_status: string | null;
  channel_quality_rating: string | null;
  channel_current_limit: string | null;
}

/** The grants' copies of their channel's list filters, as PostgreSQL holds them. */
async function copiesOf(channelId: string): Promise<Copies[]> {
  return (await query(
    hub.em(),
    `select id, channel_status, channel_quality_rating, channel_current_limit
       from permissions where channel_id = ? order by id`,
    [channelId],
  )) as Copies[];
}

async function grantedChannel(overrides: { qualityRating?: string; currentLimit?: string } = {}) {
  const em = hub.em();
  const { partner, token } = await partnerFactory(em, hub.deps);
  const client = await clientFactory(em, partner);
  const channel = await channelFactory(em, client, overrides);
  return { em, partner, token, client, channel };
}

describe("a grant's copies of its channel's list filters", () => {
  it("start as the channel's, follow every change of it on every grant, and cannot be written apart", async () => {
    const { em, partner, token, channel } = await grantedChannel({
      qualityRating: 'GREEN',
      currentLimit: 'TIER_2K',
    });
    const { partner: rival } = await partnerFactory(em, hub.deps, 'Rival');
    const old = await permissionFactory(em, partner, channel, { revokedAt: new Date() });
    const current = await permissionFactory(em, partner, channel);
    await permissionFactory(em, rival, channel);
    expect((await copiesOf(channel.id)).map((c) => c.channel_quality_rating)).toEqual([
      'GREEN',
      'GREEN',
      'GREEN',
    ]);

    channel.qualityRating = 'RED';
    channel.status = 'restricted';
    await em.flush();
    expect(await copiesOf(channel.id)).toEqual(
      [old.id, current.id, expect.any(String)].map((id) => ({
        id,
        channel_status: 'restricted',
        channel_quality_rating: 'RED',
        channel_current_limit: 'TIER_2K',
      })),
    );

    // Whoever writes a copy directly gets the channel's value back.
    await query(
      hub.em(),
      `update permissions set channel_quality_rating = 'GREEN', channel_status = 'live' where id = ?`,
      [current.id],
    );
    expect((await copiesOf(channel.id)).find((c) => c.id === current.id)).toMatchObject({
      channel_status: 'restricted',
      channel_quality_rating: 'RED',
    });

    // The list filters read the copies: the change shows at once, for the current grant only.
    const ids = async (filter: string) =>
      (
        await request(hub.app).get(`/api/v2/partners/${partner.id}/channels?${filter}`).set(bearer(token))
      ).body.channels.map((c: { id: string }) => c.id);
    expect(await ids('quality_rating=RED')).toEqual([channel.id]);
    expect(await ids('quality_rating=GREEN')).toEqual([]);
    expect(await ids('status=restricted&current_limit=TIER_2K')).toEqual([channel.id]);
    expect(await ids('status=live')).toEqual([]);
  });

  it('are right for a grant made while another transaction changes the channel', async () => {
    const { partner, client, channel } = await grantedChannel({ qualityRating: 'GREEN' });
    const changer = new pg.Client({ connectionString: hub.databaseUrl });
    await changer.connect();
    try {
      await changer.query('begin');
      await changer.query(`update channels set quality_rating = 'RED' where id = $1`, [channel.id]);
      // The grant's insert waits for the change to commit, then copies its value.
      const grant = query(
        hub.em(),
        `insert into permissions (id, partner_id, channel_id, client_id, granted_at) values (?, ?, ?, ?, now())`,
        [newId('permission'), partner.id, channel.id, client.id],
      );
      const settled = await Promise.race([
        grant.then(() => 'inserted'),
        new Promise((resolve) => setTimeout(() => resolve('waiting'), 300)),
      ]);
      expect(settled).toBe('waiting');
      await changer.query('commit');
      await grant;
      expect((await copiesOf(channel.id))[0]?.channel_quality_rating).toBe('RED');

      // The other order: a grant not yet committed holds the channel's change back until it is.
      const late = (await partnerFactory(hub.em(), hub.deps, 'Late')).partner;
      const granting = new pg.Client({ connectionString: hub.databaseUrl });
      await granting.connect();
      try {
        await granting.query('begin');
        await granting.query(
          `insert into permissions (id, partner_id, channel_id, client_id, granted_at) values ($1, $2, $3, $4, now())`,
          [newId('permission'), late.id, channel.id, client.id],
        );
        const change = changer.query(`update channels set quality_rating = 'YELLOW' where id = $1`, [
          channel.id,
        ]);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await granting.query('commit');
        await change;
      } finally {
        await granting.end();
      }
      expect((await copiesOf(channel.id)).map((c) => c.channel_quality_rating)).toEqual(['YELLOW', 'YELLOW']);
    } finally {
      await changer.end();
    }
  });
});
