import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, withHub } from '../context.ts';
import { printJson } from '../output.ts';

/** A call to the running hub's `/sandbox/linked-devices` plays, with the sandbox app token. */
async function callPlays(
  method: 'GET' | 'POST',
  session: string,
  path: string,
  body?: Record<string, unknown>,
): Promise<Response> {
  const { url, token } = await withHub(
    async (hub) => {
      if (hub.meta.mode !== 'sandbox') {
        throw new CliError(
          'the hub is configured for a real Meta app (META_APP_ID); sandbox commands are off',
        );
      }
      return { url: hub.config.publicUrl, token: `${hub.meta.appId}|${hub.meta.appSecret}` };
    },
    { schema: 'as-is' },
  );
  const target = `${url}/sandbox/linked-devices/sessions/${encodeURIComponent(session)}/${path}`;
  let res: Response;
  try {
    res = await fetch(target, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
    });
  } catch {
    throw new CliError(
      `cannot reach the hub at ${url}: start it first (npm start), with the same PUBLIC_URL`,
    );
  }
  if (!res.ok) {
    const err = (await res.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
    } | null;
    throw new CliError(
      `${err?.error?.code ?? `HTTP ${res.status}`}: ${err?.error?.message ?? res.statusText}`,
    );
  }
  return res;
}

const play = async (session: string, path: string, body?: Record<string, unknown>) =>
  printJson(await (await callPlays('POST', session, path, body)).json());

/** `partner-hub sandbox device …`: a linked-device session's emulated phone, through the running hub. */
export function registerSandboxDeviceCommands(sandbox: Command): void {
  const device = sandbox
    .command('device')
    .description(
      "play a linked-device session's phone in sandbox mode (LINKED_DEVICES_ENABLED), through the running hub",
    );

  device
    .command('scan <session_id> <phone_number>')
    .description('the phone scans the session’s current QR code')
    .option('--name <name>', 'the WhatsApp name of the phone')
    .action((session: string, phone: string, opts: { name?: string }) =>
      play(session, 'scan', { phone_number: phone, name: opts.name }),
    );
  device
    .command('pairing-code <session_id> <code>')
    .description('the phone types the pairing code the session shows')
    .option('--name <name>', 'the WhatsApp name of the phone')
    .action((session: string, code: string, opts: { name?: string }) =>
      play(session, 'pairing-code', { code, name: opts.name }),
    );
  for (const [name, path, what] of [
    ['offline', 'phone-offline', 'the phone loses signal: the link goes dead without closing'],
    ['online', 'phone-online', 'the phone is back online'],
    ['logged-out', 'logged-out', 'the device is removed from the phone’s linked devices'],
  ] as const) {
    device
      .command(`${name} <session_id>`)
      .description(what)
      .action((session: string) => play(session, path));
  }
  device
    .command('inbound <session_id> <from> <text>')
    .description('a contact writes to the linked number')
    .option('--push-name <name>', 'the contact’s WhatsApp name')
    .action((session: string, from: string, text: string, opts: { pushName?: string }) =>
      play(session, 'inbound', { from, text, push_name: opts.pushName }),
    );
  device
    .command('sent <session_id>')
    .description('the messages the hub sent through the session (oldest first)')
    .action(async (session: string) => printJson(await (await callPlays('GET', session, 'sent')).json()));
  device
    .command('qr <session_id> <file>')
    .description('writes the session’s current QR code to <file> (.svg for SVG, PNG otherwise)')
    .action(async (session: string, file: string) => {
      const res = await callPlays('GET', session, file.endsWith('.svg') ? 'qr.svg' : 'qr.png');
      await writeFile(file, Buffer.from(await res.arrayBuffer()));
      printJson({ session_id: session, file });
    });
}
