import type { EntityManager } from '@mikro-orm/postgresql';
import type { Response } from 'express';
import type { PartnerPrincipal } from '../auth/partner-tokens.ts';
import type { Hub } from '../hub.ts';
import type { Actor } from '../modules/audit/actor.ts';
import type { Partner } from '../modules/partners/partner.entity.ts';

declare global {
  namespace Express {
    interface Locals {
      /** One EntityManager per request (one unit of work, one flush), forked at first use. */
      em: EntityManager;
      /** The authenticated token: its partner's and its own id, and the partner's columns. */
      principal: PartnerPrincipal;
      /** The authenticated partner as an entity of `em`, copied in at first use. */
      partner: Partner;
      actor: Actor;
    }
  }
}

/** Defines `res.locals[key]` as `make()`, called at the first read only (and then kept). */
function lazyLocal<K extends keyof Express.Locals>(
  res: Response,
  key: K,
  make: () => Express.Locals[K],
): void {
  Object.defineProperty(res.locals, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = make();
      Object.defineProperty(res.locals, key, { value, writable: true, enumerable: true, configurable: true });
      return value;
    },
    set(value: Express.Locals[K]) {
      Object.defineProperty(res.locals, key, { value, writable: true, enumerable: true, configurable: true });
    },
  });
}

/** `res.locals.em`, forked from the ORM when something first reads it: answers served from caches fork nothing. */
export function lazyEntityManager(res: Response, deps: Hub): void {
  lazyLocal(res, 'em', () => deps.orm.em.fork());
}

/** `res.locals.principal`, and `res.locals.partner` as the principal's partner in `res.locals.em` at first read. */
export function setPrincipal(res: Response, principal: PartnerPrincipal): void {
  res.locals.principal = principal;
  lazyLocal(res, 'partner', () => principal.entitiesIn(res.locals.em).partner);
}
