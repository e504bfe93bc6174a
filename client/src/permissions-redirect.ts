/** What the /permissions page hands back on its redirect (360dialog's format). */
export interface PermissionsResult {
  client: string;
  /** Every channel the client now grants the partner. */
  channels: string[];
  /** Channels revoked in this visit only. */
  revoked: string[];
  state: string | null;
}

const list = (value: string | null): string[] => {
  if (!value) return [];
  const inner = value.replace(/^\[/, '').replace(/\]$/, '');
  return inner
    ? inner
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean)
    : [];
};

/**
 * Parses `?client=…&channels=[a,b]&revoked=[c]&state=…` from a full URL or a query string.
 * Throws if `client` is missing: that is not a permissions redirect.
 */
export function parsePermissionsRedirect(url: string | URL): PermissionsResult {
  const text = String(url);
  const search = text.includes('://')
    ? new URL(text).search
    : text.startsWith('?') || text === ''
      ? text
      : `?${text}`;
  const params = new URLSearchParams(search);
  const client = params.get('client');
  if (!client) throw new Error('Not a permissions redirect: the `client` parameter is missing');
  return {
    client,
    channels: list(params.get('channels')),
    revoked: list(params.get('revoked')),
    state: params.get('state'),
  };
}
