import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { StatementListQuery } from '../../../shared/schemas/billing.ts';
import { AppError } from '../../errors.ts';
import { decodeCursor, type Page, toPage } from '../../pagination.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { Statement } from './statement.entity.ts';

/** A partner's statements (its own and its direct-paid clients'), newest first. */
export async function listStatements(
  em: EntityManager,
  partner: Partner,
  query: StatementListQuery,
): Promise<Page<Statement>> {
  const before = decodeCursor(query.cursor, 'statement');
  const where: FilterQuery<Statement> = { partner };
  if (before) where.id = { $lt: before };
  if (query.client_id) where.client = query.client_id;
  if (query.period) where.period = query.period;
  const rows = await em.find(Statement, where, {
    orderBy: { id: 'desc' },
    limit: query.limit + 1,
    populate: ['client'],
  });
  return toPage(rows, query.limit, (s) => s.id);
}

export async function getStatement(
  em: EntityManager,
  partner: Partner,
  statementId: string,
): Promise<Statement> {
  const s = await em.findOne(Statement, { id: statementId, partner }, { populate: ['client'] });
  if (!s) throw new AppError('not_found', `No statement ${statementId}`);
  return s;
}
