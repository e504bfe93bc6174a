import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { generateToken, hashToken, isWellFormedToken, TOKEN_PREFIXES } from '../../crypto/tokens.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getClientOfPartner } from '../clients/clients.service.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { assertPartnerActive } from '../partners/partner-suspension.service.ts';
import { PortalSession } from './portal-session.entity.ts';

/** How long a portal session lasts after its link is exchanged. */
export const PORTAL_SESSION_TTL_SECONDS = 3600;

export interface MintedPortalLink {
  session: PortalSession;
  /** The one-time link token; shown only in the minting answer. */
  token: string;
}

/**
 * A one-time portal link for one of the partner's own clients (another partner's client is not
 * found). The token is kept only as its digest; the mint is audited without it.
 */
export async function mintPortalLink(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  clientId: string,
  options: { expiresInSeconds: number; showDeliveries: boolean },
  actor: Actor,
): Promise<MintedPortalLink> {
  const client = await getClientOfPartner(em, partner, clientId);
  const token = generateToken(TOKEN_PREFIXES.portalLink);
  const session = em.create(PortalSession, {
    partner,
    client,
    linkTokenHash: hashToken(token),
    linkExpiresAt: new Date(clock.now().getTime() + options.expiresInSeconds * 1000),
    showDeliveries: options.showDeliveries,
    createdBy: actor.id,
  });
  recordAudit(em, actor, {
    partner,
    action: 'portal_link.created',
    target: { type: 'portal_session', id: session.id },
    details: {
      client_id: client.id,
      expires_in_seconds: options.expiresInSeconds,
      show_deliveries: options.showDeliveries,
    },
  });
  await em.flush();
  return { session, token };
}

const refused = () =>
  new AppError('unauthorized', 'This portal link is not valid any more: it expired or was used already.');

/**
 * Trades a link (once, before it expires, and only on the page of the partner that minted it)
 * for a session credential that lasts PORTAL_SESSION_TTL_SECONDS. One conditional UPDATE makes
 * the trade, so two pages racing with one link cannot both win. Every refusal looks the same.
 */
export async function exchangePortalLink(
  em: EntityManager,
  clock: Clock,
  partnerId: string,
  linkToken: string,
): Promise<{ session: PortalSession; token: string }> {
  if (!isWellFormedToken(linkToken, TOKEN_PREFIXES.portalLink)) throw refused();
  const now = clock.now();
  const token = generateToken(TOKEN_PREFIXES.portalSession);
  const expiresAt = new Date(now.getTime() + PORTAL_SESSION_TTL_SECONDS * 1000);
  const changed = await em.nativeUpdate(
    PortalSession,
    {
      linkTokenHash: hashToken(linkToken),
      partner: partnerId,
      exchangedAt: null,
      linkExpiresAt: { $gt: now },
    },
    { exchangedAt: now, sessionTokenHash: hashToken(token), expiresAt },
  );
  if (changed !== 1) throw refused();
  const session = await em.findOneOrFail(
    PortalSession,
    { linkTokenHash: hashToken(linkToken) },
    { populate: ['partner', 'client'], refresh: true },
  );
  return { session, token };
}

/** The live session a portal page's `Authorization: Bearer hube_…` stands for. */
export async function authenticatePortalSession(
  em: EntityManager,
  clock: Clock,
  credential: string | undefined,
): Promise<PortalSession> {
  const invalid = () => new AppError('unauthorized', 'The portal session ended: open the portal again.');
  if (!credential || !isWellFormedToken(credential, TOKEN_PREFIXES.portalSession)) throw invalid();
  const session = await em.findOne(
    PortalSession,
    { sessionTokenHash: hashToken(credential), expiresAt: { $gt: clock.now() } },
    { populate: ['partner', 'client'] },
  );
  if (!session) throw invalid();
  // A suspended partner's portal closes with its API: nothing new is granted to it meanwhile.
  assertPartnerActive(session.partner);
  return session;
}
