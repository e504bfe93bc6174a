import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '../errors.ts';
import { addressProblem } from './address-policy.ts';
import { assertWebhookUrl, isLoopbackHost, type SavedUrlPolicy } from './url-policy.ts';

/** A lookup longer than this is left to delivery: saving a URL does not wait on a slow resolver. */
const RESOLVE_TIMEOUT_MS = 2_000;

export type HostLookup = (host: string) => Promise<{ address: string }[]>;

const systemLookup: HostLookup = (host) => dnsLookup(host, { all: true, verbatim: true });

async function resolveWithin(lookup: HostLookup, host: string): Promise<{ address: string }[] | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), RESOLVE_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([lookup(host).catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `assertWebhookUrl`, and the host's names resolved now: a name that points at a private,
 * loopback or reserved address is refused when it is saved, like a literal one, so a partner
 * learns at once. A name that does not resolve (yet), or not in time, is accepted: delivery
 * judges every address again at connect time, which also defeats a later rebinding.
 */
export async function assertWebhookTarget(
  value: string,
  field: string,
  policy: SavedUrlPolicy,
  lookup: HostLookup = systemLookup,
): Promise<string> {
  const normalised = assertWebhookUrl(value, field, policy);
  const host = new URL(normalised).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return normalised;
  const refuse = (category: string) =>
    new AppError(
      'webhook_url_not_allowed',
      `${field} must not point to a private, loopback or reserved address`,
      {
        field,
        category,
      },
    );
  if (!policy.allowLocalhost && isLoopbackHost(host)) throw refuse('private_address');
  const addresses = (await resolveWithin(lookup, host)) ?? [];
  const problem = addresses.map((a) => addressProblem(a.address, policy.allowLocalhost)).find(Boolean);
  if (problem) throw refuse(problem);
  return normalised;
}
