import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../modules/audit/actor.ts';
import type { Partner } from '../modules/partners/partner.entity.ts';

declare global {
  namespace Express {
    interface Locals {
      /** One EntityManager per request (one unit of work, one flush). */
      em: EntityManager;
      partner: Partner;
      actor: Actor;
    }
  }
}
