import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { ClientListQuery } from '../../../shared/schemas/client.ts';
import type { Clock } from '../../clock.ts';
import { query } from '../../db/sql.ts';
import { AppError } from '../../errors.ts';
import { decodeCursor, type Page, toPage } from '../../pagination.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { recordEvent } from '../webhooks/record-events.ts';
import { Client } from './client.entity.ts';

/** The partner's clients, newest first, keyset-paginated on `(partner_id, id)`. */
export async function listClientsOfPartner(
  em: EntityManager,
  partner: Partner,
  query: ClientListQuery,
): Promise<Page<Client>> {
  const before = decodeCursor(query.cursor, 'client');
  const where: FilterQuery<Client> = { partner };
  if (before) where.id = { $lt: before };
  if (query.status) where.status = query.status;
  if (query.external_id !== undefined) where.externalId = query.external_id;
  if (
    query.q !== undefined ||
    ((query.created_after || query.created_before) && query.external_id === undefined)
  ) {
    where.id = { $in: await idsMatching(em, partner, query, before) };
  } else if (query.created_after || query.created_before) {
    where.createdAt = {
      ...(query.created_after ? { $gte: new Date(query.created_after) } : {}),
      ...(query.created_before ? { $lt: new Date(query.created_before) } : {}),
    };
  }
  const rows = await em.find(Client, where, { orderBy: { id: 'desc' }, limit: query.limit + 1 });
  return toPage(rows, query.limit, (c) => c.id);
}

/** `q` as a LIKE prefix pattern (escape character `!`): its own `%`, `_` and `!` match literally. */
const prefixPattern = (q: string) => `${q.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;

/**
 * The page's ids when searching (`q`) or given a creation-time range. A search reads the prefix
 * from the `(partner_id, lower(name|external_id) text_pattern_ops)` indexes (a case-insensitive
 * LIKE 'abc%' is a range scan there), then sorts the matches. Left to itself the planner walks the
 * partner's clients newest first through the primary key and discards every one outside the
 * range (50,000 rows for `created_before` half-way back in a 100,000-client partner); reading the
 * range's ids from `(partner_id, created_at, id)` and sorting them costs one index entry per match.
 * The time part of the id is not used as a bound: ids and `created_at` need not agree.
 */
async function idsMatching(
  em: EntityManager,
  partner: Partner,
  q: ClientListQuery,
  before: string | undefined,
): Promise<string[]> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const and = (condition: string, param: unknown) => {
    conditions.push(condition);
    params.push(param);
  };
  and('partner_id = ?', partner.id);
  if (q.created_after) and('created_at >= ?', new Date(q.created_after));
  if (q.created_before) and('created_at < ?', new Date(q.created_before));
  if (before) and('id < ?', before);
  if (q.status) and('status = ?', q.status);
  if (q.external_id !== undefined) and('external_id = ?', q.external_id);
  if (q.q !== undefined) {
    const pattern = prefixPattern(q.q);
    conditions.push(`(lower(name) like ? escape '!' or lower(external_id) like ? escape '!')`);
    params.push(pattern, pattern);
  }
  params.push(q.limit + 1);
  const rows = await query<{ id: string }>(
    em,
    `with matching as materialized (select id from clients where ${conditions.join(' and ')})
     select id from matching order by id desc limit ?`,
    params,
  );
  return rows.map((r) => r.id);
}

/** Another partner's client is indistinguishable from a missing one. */
export async function getClientOfPartner(
  em: EntityManager,
  partner: Partner,
  clientId: string,
): Promise<Client> {
  const client = await em.findOne(Client, { id: clientId, partner });
  if (!client) throw new AppError('not_found', `No client ${clientId}`);
  return client;
}

export async function updateClientPartnerPayload(
  em: EntityManager,
  partner: Partner,
  clientId: string,
  partnerPayload: string | null,
  actor: Actor,
): Promise<Client> {
  const client = await getClientOfPartner(em, partner, clientId);
  if ((client.partnerPayload ?? null) === partnerPayload) return client;
  client.partnerPayload = partnerPayload;
  recordAudit(em, actor, {
    partner,
    action: 'client.updated',
    target: { type: 'client', id: client.id },
    details: { changed_fields: ['partner_payload'] },
  });
  await em.flush();
  return client;
}

/** A new client of the partner (hosted signup, onboarding sessions, the sandbox CLI); records `client.created`. */
export async function createClient(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  input: { name?: string | null; externalId?: string | null; partnerPayload?: string | null },
  actor: Actor,
): Promise<Client> {
  const client = em.create(Client, {
    partner,
    name: input.name ?? null,
    externalId: input.externalId ?? null,
    partnerPayload: input.partnerPayload ?? null,
    // What the partner's clients agree to is fixed when they join (docs/billing.md).
    paymentModel: partner.paymentModel,
    createdAt: clock.now(),
  });
  await em.transactional(async (tx) => {
    recordAudit(tx, actor, {
      partner,
      action: 'client.created',
      target: { type: 'client', id: client.id },
      details: { external_id: client.externalId ?? null },
    });
    await recordEvent(tx, clock, {
      partnerId: partner.id,
      type: 'client.created',
      data: {
        client_id: client.id,
        external_id: client.externalId ?? null,
        partner_payload: client.partnerPayload ?? null,
      },
    });
  });
  return client;
}
