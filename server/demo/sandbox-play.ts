import type { Hub } from '../hub.ts';

/** A play of the sandbox's device emulator, through the sandbox control API (as an operator's script would). */
export async function sandboxPlay(
  deps: Hub,
  path: string,
  body: unknown,
): Promise<{ ok: boolean; status: number; body: unknown }> {
  const res = await fetch(`${deps.config.publicUrl}/sandbox/linked-devices${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${deps.meta.appId}|${deps.meta.appSecret}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  return { ok: res.ok, status: res.status, body: (await res.json().catch(() => null)) as unknown };
}
