import type { Hub } from '../hub.ts';
import { targetPolicyOf } from '../security/ssrf-guard.ts';
import { SandboxThroughput } from './graph/throughput.ts';
import { findPhoneNumber, type PhoneNumber } from './store/accounts.ts';
import { findTokenGrant, type TokenGrant } from './store/credentials.ts';
import { inTransaction, type Query, queryOn } from './store/db.ts';
import { TtlCache } from './ttl-cache.ts';
import { OutboundHttp } from './webhooks/outbound-http.ts';

/** How stale a cached token or phone number may be; writes through the sandbox clear it at once. */
export const LOOKUP_CACHE_MS = 1000;

/** What every part of the sandbox shares: the hub's deps, SQL access, lookup caches, the outbound client. */
export interface SandboxState {
  deps: Hub;
  query: Query;
  transaction<T>(work: (q: Query) => Promise<T>): Promise<T>;
  /** Token → grant (null: no such token), cached for the hot paths. */
  grant(token: string): Promise<TokenGrant | null>;
  /** Phone number id → number (null: none), cached for `/messages`. */
  cachedPhone(id: string): Promise<PhoneNumber | null>;
  /** Call after changing tokens or numbers, so this process never serves the old state. */
  forgetLookups(): void;
  http: OutboundHttp;
  /** Meta's throughput limits on sends (130429, 131056); null when `SANDBOX_THROUGHPUT=false`. */
  throughput: SandboxThroughput | null;
  /**
   * URLs on the hub's own origin (its callback, an override pointing back at the hub) are
   * trusted: the SSRF guard would refuse a hub that lives on a private address.
   */
  isHubUrl(url: string): boolean;
}

const states = new WeakMap<Hub, SandboxState>();

/** The hub's one sandbox state: `/sandbox` and the console's sandbox tools share its caches and client. */
export function sandboxStateOf(deps: Hub): SandboxState {
  let state = states.get(deps);
  if (!state) {
    state = createSandboxState(deps);
    states.set(deps, state);
  }
  return state;
}

export function createSandboxState(deps: Hub): SandboxState {
  const query = queryOn(deps);
  const grants = new TtlCache<TokenGrant | null>(LOOKUP_CACHE_MS);
  const phones = new TtlCache<PhoneNumber | null>(LOOKUP_CACHE_MS);
  const hubOrigin = new URL(deps.meta.callbackUrl).origin;
  return {
    deps,
    query,
    transaction: (work) => inTransaction(deps, work),
    grant: (token) => grants.get(token, async () => (await findTokenGrant(query, token)) ?? null),
    cachedPhone: (id) => phones.get(id, async () => (await findPhoneNumber(query, id)) ?? null),
    forgetLookups: () => {
      grants.clear();
      phones.clear();
    },
    isHubUrl: (url) => {
      try {
        return new URL(url).origin === hubOrigin;
      } catch {
        return false;
      }
    },
    http: new OutboundHttp(targetPolicyOf(deps.urlPolicy)),
    throughput: deps.config.sandboxThroughput.enabled
      ? new SandboxThroughput(deps.config.sandboxThroughput, deps.clock)
      : null,
  };
}
