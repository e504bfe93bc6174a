import type { AuditActorType } from '../../../shared/statuses.ts';

/** Who is acting, and from where: passed by every adapter into services that audit. */
export interface Actor {
  type: AuditActorType;
  id: string | null;
  requestId?: string | undefined;
  ip?: string | undefined;
  userAgent?: string | undefined;
}

export const operatorActor = (): Actor => ({ type: 'operator', id: `cli:${process.env.USER ?? 'unknown'}` });
