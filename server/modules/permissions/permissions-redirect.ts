/**
 * 360dialog's redirect after the permission screen:
 * `?client=<id>&channels=[<id>,<id>]&revoked=[<id>]&state=<state>`. The brackets and commas are
 * literal (ids never contain them), `revoked` is left out when nothing was revoked in this visit,
 * and `state` comes back untouched.
 */
export function permissionsRedirectUrl(
  base: string,
  result: { clientId: string; channels: string[]; revoked: string[]; state?: string | undefined },
): string {
  const url = new URL(base);
  const query = [`client=${encodeURIComponent(result.clientId)}`, `channels=[${result.channels.join(',')}]`];
  if (result.revoked.length > 0) query.push(`revoked=[${result.revoked.join(',')}]`);
  if (result.state !== undefined) query.push(`state=${encodeURIComponent(result.state)}`);
  const existing = url.search.replace(/^\?/, '');
  url.search = '';
  return `${url.toString()}?${existing ? `${existing}&` : ''}${query.join('&')}`;
}
