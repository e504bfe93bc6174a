import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { decodeCursor, type Page, type PageQuery, toPage } from '../../pagination.ts';
import { assertAcceptableUrl, type UrlPolicy } from '../../security/url-policy.ts';
import { assertWebhookTarget } from '../../security/webhook-host.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { createPrimaryDestination } from '../webhooks/destinations.service.ts';
import { Partner } from './partner.entity.ts';
import { issuePartnerToken } from './partner-tokens.service.ts';

export interface CreatePartnerInput {
  name: string;
  redirectUrl?: string | undefined;
  webhookUrl?: string | undefined;
}

export interface CreatedPartner {
  partner: Partner;
  /** Shown once. */
  token: string;
  /** `whsec_…`, shown once (it stays retrievable only sealed, for signing). */
  webhookSecret: string;
}

export interface PartnerServiceDeps {
  secretBox: SecretBox;
  urlPolicy: UrlPolicy;
}

export async function createPartner(
  em: EntityManager,
  deps: PartnerServiceDeps,
  input: CreatePartnerInput,
  actor: Actor,
): Promise<CreatedPartner> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) {
    throw new AppError('validation_failed', 'name must be 1 to 200 characters', { field: 'name' });
  }
  const redirectUrl =
    input.redirectUrl && assertAcceptableUrl(input.redirectUrl, 'redirect_url', deps.urlPolicy);
  const webhookUrl =
    input.webhookUrl && (await assertWebhookTarget(input.webhookUrl, 'webhook_url', deps.urlPolicy));
  // The id is chosen up front because the sealed secret is bound to it.
  const partner = em.create(Partner, {
    id: newId('partner'),
    name,
    partnerRedirectUrl: redirectUrl ?? null,
  });
  const { secret: webhookSecret } = createPrimaryDestination(em, deps.secretBox, partner, webhookUrl ?? null);
  const { token, record } = issuePartnerToken(em, partner);
  recordAudit(em, actor, {
    partner,
    action: 'partner.created',
    target: { type: 'partner', id: partner.id },
    details: { name, token_id: record.id, token_last4: record.last4 },
  });
  await em.flush();
  return { partner, token, webhookSecret };
}

export async function listPartners(em: EntityManager): Promise<Partner[]> {
  return em.find(Partner, {}, { orderBy: { id: 'asc' } });
}

/**
 * Partners for the operator, newest first, walked on the primary key; `search` matches names
 * case-insensitively anywhere (a scan of `partners`, a table of hundreds of rows, not millions).
 */
export async function listPartnersPage(
  em: EntityManager,
  query: PageQuery & { search?: string | undefined },
): Promise<Page<Partner>> {
  const before = decodeCursor(query.cursor, 'partner');
  const where: FilterQuery<Partner> = {};
  if (before) where.id = { $lt: before };
  if (query.search) where.name = { $ilike: `%${escapeLike(query.search)}%` };
  const rows = await em.find(Partner, where, { orderBy: { id: 'desc' }, limit: query.limit + 1 });
  return toPage(rows, query.limit, (p) => p.id);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function getPartner(em: EntityManager, partnerId: string): Promise<Partner> {
  const partner = await em.findOne(Partner, { id: partnerId });
  if (!partner) throw new AppError('not_found', `No partner ${partnerId}`);
  return partner;
}
