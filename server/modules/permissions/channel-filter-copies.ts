import type { TriggerDef } from '@mikro-orm/core';

/**
 * Each grant carries its channel's list filters (status, quality rating, limit tier), so a
 * partner's filtered channel list walks `(partner_id, filter, channel_id)` of its own grants.
 * Before, a value the partner's channels lack (RED, for a partner with 100,000 channels and none
 * RED) probed every channel holding it for a grant. These triggers keep the copies equal to the
 * channel's in the same transaction as any write to either table, so no service has to remember
 * them (the channel's columns change in half a dozen places) and a write made by SQL is covered.
 */

/**
 * A grant copies its channel's values when inserted, and whenever its copies are written: whoever
 * writes them ends up with the channel's. The row lock makes a concurrent change of the channel
 * wait for this grant (or this grant for it), so neither misses the other. It excludes other
 * grants of the same channel too, rather than being shared, so that two grants of one channel
 * that both go on to update it cannot deadlock upgrading their locks.
 */
const copyFromChannel = `select c.status, c.quality_rating, c.current_limit
    into new.channel_status, new.channel_quality_rating, new.channel_current_limit
    from channels c where c.id = new.channel_id for no key update;
  return new;`;

/**
 * Conditions are written as PostgreSQL prints them back (`information_schema.triggers`), which is
 * what the schema diff compares them with.
 */
const copiesWritten =
  '(((new.channel_id)::text <> (old.channel_id)::text) OR (new.channel_status IS DISTINCT FROM old.channel_status) OR ((new.channel_quality_rating)::text IS DISTINCT FROM (old.channel_quality_rating)::text) OR ((new.channel_current_limit)::text IS DISTINCT FROM (old.channel_current_limit)::text))';

const filtersChanged =
  '((new.status IS DISTINCT FROM old.status) OR ((new.quality_rating)::text IS DISTINCT FROM (old.quality_rating)::text) OR ((new.current_limit)::text IS DISTINCT FROM (old.current_limit)::text))';

export const permissionCopyTriggers: TriggerDef[] = [
  { name: 'copy_channel_filters', timing: 'before', events: ['insert'], body: copyFromChannel },
  {
    name: 'recopy_channel_filters',
    timing: 'before',
    events: ['update'],
    when: copiesWritten,
    body: copyFromChannel,
  },
];

/** A channel's change reaches every grant of it, revoked ones too: no copy is ever stale. */
export const channelShareTriggers: TriggerDef[] = [
  {
    name: 'share_filters',
    timing: 'after',
    events: ['update'],
    when: filtersChanged,
    body: `update permissions
     set channel_status = new.status, channel_quality_rating = new.quality_rating, channel_current_limit = new.current_limit
   where channel_id = new.id;
  return null;`,
  },
];
