import type {
  EntityData,
  EntityManager,
  EntityName,
  EventSubscriber,
  FlushEventArgs,
  MikroORM,
} from '@mikro-orm/postgresql';
import type { Clock } from '../clock.ts';
import { hashToken, isWellFormedToken, TOKEN_PREFIXES } from '../crypto/tokens.ts';
import { AppError } from '../errors.ts';
import { Partner } from '../modules/partners/partner.entity.ts';
import { PartnerToken } from '../modules/partners/partner-token.entity.ts';
import { CredentialCache } from './credential-cache.ts';

/** What a usable token resolved to, as plain column values: copied into each request's entity manager. */
interface ResolvedToken {
  token: EntityData<PartnerToken>;
  partner: EntityData<Partner>;
}

/** Minute resolution is enough for "last used", and spares a write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Entities whose change can alter what a cached token resolves to (the partner view reads its webhook URL). */
const WATCHED_ENTITIES = new Set(['Partner', 'PartnerToken', 'WebhookDestination']);

/**
 * The process's partner-token cache. A change made through this ORM (rotation, revocation, new
 * settings, another webhook URL) clears it, so the next request here sees it; other processes
 * see it when their entry expires (< 1 s). Raw SQL writers call `clear()` themselves.
 */
export class PartnerTokenCache {
  readonly #cache = new CredentialCache<ResolvedToken>();

  constructor(orm: MikroORM) {
    const subscriber: EventSubscriber = {
      afterFlush: (args: FlushEventArgs) => {
        if (args.uow.getChangeSets().some((cs) => WATCHED_ENTITIES.has(cs.meta.className))) this.clear();
      },
    };
    // Every fork shares the root entity manager's event manager.
    orm.em.getEventManager().registerSubscriber(subscriber);
  }

  get(
    hash: string,
    load: (hash: string) => Promise<ResolvedToken | null>,
  ): Promise<ResolvedToken | null> | ResolvedToken | null {
    return this.#cache.get(hash, load);
  }

  clear(): void {
    this.#cache.clear();
  }
}

function columnsOf<T extends object>(em: EntityManager, entityName: EntityName<T>, entity: T): EntityData<T> {
  const data: Record<string, unknown> = {};
  for (const prop of em.getMetadata().get(entityName).props) {
    if (prop.kind === 'scalar') data[prop.name] = (entity as Record<string, unknown>)[prop.name];
  }
  return data as EntityData<T>;
}

/** A copy a request may change without touching the cache: column values are strings, numbers, dates and JSON arrays. */
function copyOf<T extends object>(data: EntityData<T>): EntityData<T> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    copy[key] =
      value instanceof Date
        ? new Date(value)
        : typeof value === 'object' && value !== null
          ? structuredClone(value)
          : value;
  }
  return copy as EntityData<T>;
}

async function lookUp(em: EntityManager, clock: Clock, hash: string): Promise<ResolvedToken | null> {
  const fork = em.fork({ clear: true });
  const token = await fork.findOne(PartnerToken, { tokenHash: hash }, { populate: ['partner'] });
  const now = clock.now();
  // Only a token usable now is remembered as one; anything else is a miss.
  if (!token?.isUsableAt(now)) return null;
  return {
    token: { ...columnsOf(em, PartnerToken, token), partner: token.partner.id },
    partner: columnsOf(em, Partner, token.partner),
  };
}

/**
 * Resolves a presented token to its partner. The checksum is checked before anything else, so
 * random or mistyped tokens cost nothing; a well-formed one is looked up by its SHA-256 through
 * a cache that lives under a second, so a revoked, rotated-away or deleted token stops working
 * within 1 s on every process (at once on the one that changed it), and expiry is checked
 * against the clock on every request. The entities returned belong to `em`.
 */
export async function authenticatePartnerToken(
  em: EntityManager,
  clock: Clock,
  presented: string | undefined,
  cache: PartnerTokenCache,
): Promise<{ partner: Partner; token: PartnerToken }> {
  if (!presented)
    throw new AppError('unauthorized', 'A partner token is required (Authorization: Bearer or X-API-Key)');
  if (!isWellFormedToken(presented, TOKEN_PREFIXES.partnerToken)) {
    throw new AppError('unauthorized', 'The partner token is not valid');
  }
  const resolved = await cache.get(hashToken(presented), (hash) => lookUp(em, clock, hash));
  const expiresAt = resolved?.token.expiresAt as Date | null | undefined;
  if (!resolved || (expiresAt && expiresAt <= clock.now())) {
    throw new AppError('unauthorized', 'The partner token is not valid');
  }
  const now = clock.now();
  const lastUsedAt = resolved.token.lastUsedAt as Date | null | undefined;
  if (!lastUsedAt || now.getTime() - lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    resolved.token.lastUsedAt = now;
    await em.nativeUpdate(PartnerToken, { id: resolved.token.id as string }, { lastUsedAt: now });
  }
  const partner = em.merge(Partner, copyOf(resolved.partner));
  const token = em.merge(PartnerToken, { ...copyOf(resolved.token), partner });
  return { partner, token };
}
