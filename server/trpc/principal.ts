import type { PartnerUserRole } from '../../shared/statuses.ts';
import { AppError } from '../errors.ts';
import { partnerTokenActor, type RequestMeta } from '../http/request-meta.ts';
import type { Actor } from '../modules/audit/actor.ts';

/** Who calls a partner procedure: a partner token (the API), or a partner's user in the console. */
export type Principal =
  | { kind: 'partner_token'; id: string }
  | { kind: 'partner_user'; id: string; role: PartnerUserRole };

/** Procedures only an owner may call: they hand out or change what the whole partner trusts. */
const OWNER_ONLY = [/^tokens\./, /^partner\.update$/, /^console\.team\.(?!list)/];
/** Queries that answer with secrets: developers and owners only. */
const SECRET_QUERIES = [/^channels\.revealSecrets$/];

/**
 * The console's roles (docs/console.md): a viewer reads, a developer also writes, an owner also
 * manages tokens, settings and the team. A partner token may call everything its partner may.
 */
export function assertMayCall(principal: Principal, type: string, path: string): void {
  if (principal.kind === 'partner_token') return;
  const { role } = principal;
  const writes = type !== 'query' || SECRET_QUERIES.some((re) => re.test(path));
  if (!writes || role === 'owner') return;
  if (role === 'developer' && !OWNER_ONLY.some((re) => re.test(path))) return;
  throw new AppError('forbidden', `Your role (${role}) may not do this: ask an owner of your partner`, {
    role,
    procedure: path,
  });
}

export function actorOf(principal: Principal, meta: RequestMeta): Actor {
  if (principal.kind === 'partner_token') return partnerTokenActor(principal.id, meta);
  return { type: 'partner_user', id: principal.id, ...meta };
}
