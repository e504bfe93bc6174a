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
import { assertPartnerActive } from '../modules/partners/partner-suspension.service.ts';
import { PartnerToken } from '../modules/partners/partner-token.entity.ts';
import type { PartnerRow } from '../modules/partners/partner-view.ts';
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
 * An authenticated partner token. The ids and the partner's columns come from the cache as they
 * are (never change them); the entities are copied into an entity manager only when a handler
 * asks for them, so a request that needs neither pays no `em.merge`.
 */
export class PartnerPrincipal {
  readonly partnerId: string;
  readonly tokenId: string;
  readonly #resolved: ResolvedToken;
  #entities: { em: EntityManager; partner: Partner; token: PartnerToken } | undefined;

  constructor(resolved: ResolvedToken) {
    this.#resolved = resolved;
    this.partnerId = resolved.partner.id as string;
    this.tokenId = resolved.token.id as string;
  }

  /** The partner's columns as cached (≤ 1 s old, as the entity would be): read-only. */
  get partner(): PartnerRow {
    return this.#resolved.partner as unknown as PartnerRow;
  }

  /** The partner and token as entities of `em` (copies: changing them does not touch the cache), once per `em`. */
  entitiesIn(em: EntityManager): { partner: Partner; token: PartnerToken } {
    if (this.#entities?.em !== em) {
      const partner = em.merge(Partner, copyOf(this.#resolved.partner));
      const token = em.merge(PartnerToken, { ...copyOf(this.#resolved.token), partner });
      this.#entities = { em, partner, token };
    }
    return this.#entities;
  }
}

/**
 * Resolves a presented token to its partner. The checksum is checked before anything else, so
 * random or mistyped tokens cost nothing; a well-formed one is looked up by its SHA-256 through
 * a cache that lives under a second, so a revoked, rotated-away or deleted token stops working
 * within 1 s on every process (at once on the one that changed it), and expiry is checked
 * against the clock on every request. `em` is only forked from (lookups, the "last used" write).
 */
export async function resolvePartnerToken(
  em: EntityManager,
  clock: Clock,
  presented: string | undefined,
  cache: PartnerTokenCache,
): Promise<PartnerPrincipal> {
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
  // The partner's columns are cached with the token, so a suspension reaches every process as a revocation does.
  assertPartnerActive(resolved.partner as unknown as PartnerRow);
  const now = clock.now();
  const lastUsedAt = resolved.token.lastUsedAt as Date | null | undefined;
  if (!lastUsedAt || now.getTime() - lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    resolved.token.lastUsedAt = now;
    await em.fork().nativeUpdate(PartnerToken, { id: resolved.token.id as string }, { lastUsedAt: now });
  }
  return new PartnerPrincipal(resolved);
}

/** `resolvePartnerToken`, with the partner and token as entities of `em`. */
export async function authenticatePartnerToken(
  em: EntityManager,
  clock: Clock,
  presented: string | undefined,
  cache: PartnerTokenCache,
): Promise<{ partner: Partner; token: PartnerToken }> {
  return (await resolvePartnerToken(em, clock, presented, cache)).entitiesIn(em);
}
