import type {
  EntityData,
  EntityManager,
  EntityName,
  EventSubscriber,
  FlushEventArgs,
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
 * One token cache per ORM (keyed by its event manager, which every fork shares), so that
 * `authenticatePartnerToken(em, …)` keeps its signature and two hubs in one process (tests)
 * still have caches of their own, as two processes would.
 */
const caches = new WeakMap<object, CredentialCache<ResolvedToken>>();

function cacheOf(em: EntityManager): CredentialCache<ResolvedToken> {
  const events = em.getEventManager();
  let cache = caches.get(events);
  if (!cache) {
    const created = new CredentialCache<ResolvedToken>();
    // A change made through this process (rotation, revocation, new settings, another webhook
    // URL) is seen by its next request; other processes see it when their entry expires (< 1 s).
    const subscriber: EventSubscriber = {
      afterFlush(args: FlushEventArgs) {
        if (args.uow.getChangeSets().some((cs) => WATCHED_ENTITIES.has(cs.meta.className))) created.clear();
      },
    };
    events.registerSubscriber(subscriber);
    caches.set(events, created);
    cache = created;
  }
  return cache;
}

/** Forget every cached partner token of this ORM now (after a change made with raw SQL). */
export function forgetPartnerTokens(em: EntityManager): void {
  cacheOf(em).clear();
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
): Promise<{ partner: Partner; token: PartnerToken }> {
  if (!presented)
    throw new AppError('unauthorized', 'A partner token is required (Authorization: Bearer or X-API-Key)');
  if (!isWellFormedToken(presented, TOKEN_PREFIXES.partnerToken)) {
    throw new AppError('unauthorized', 'The partner token is not valid');
  }
  const resolved = await cacheOf(em).get(hashToken(presented), (hash) => lookUp(em, clock, hash));
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
