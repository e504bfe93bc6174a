import { randomInt } from 'node:crypto';
import type { Command } from 'commander';
import type { Hub } from '../../hub.ts';
import { operatorActor } from '../../modules/audit/actor.ts';
import { provisionChannel } from '../../modules/channels/provisioning.service.ts';
import { createClient } from '../../modules/clients/clients.service.ts';
import { getPartner } from '../../modules/partners/partners.service.ts';
import { grantPermission } from '../../modules/permissions/permissions.service.ts';
import { CliError, withHub } from '../context.ts';
import { printJson, printLines, progressFor } from '../output.ts';
import { registerSandboxDeviceCommands } from './sandbox-device.ts';

interface SignupResult {
  code: string;
  business_id: string;
  waba_id: string;
  phone_number_id: string;
}

/** What the Embedded Signup dialog does when the user presses Finish, over HTTP. */
async function completeSandboxSignup(
  hub: Hub,
  form: { business_name: string; phone_number: string; display_name: string },
): Promise<SignupResult> {
  const url = `${hub.config.publicUrl}/sandbox/embedded-signup/complete`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...form, connection_type: 'cloud_api' }),
    });
  } catch {
    throw new CliError(
      `cannot reach the sandbox at ${hub.config.publicUrl}: start the hub first (npm start), with the same PUBLIC_URL`,
    );
  }
  const body = (await res.json().catch(() => null)) as SignupResult | { error?: { message?: string } } | null;
  if (!res.ok || !body || !('code' in body)) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`;
    throw new CliError(`the sandbox refused the signup: ${message}`);
  }
  return body;
}

export function registerSandboxCommands(program: Command): void {
  const sandbox = program.command('sandbox').description('the Meta sandbox (test mode)');
  registerSandboxDeviceCommands(sandbox);

  sandbox
    .command('credentials')
    .description(
      "print the sandbox Meta app's id, secret and app token (for the control API and Graph calls)",
    )
    .option('--json', 'print {"app_id","app_secret","app_token","config_id","graph_url","verify_token"}')
    .action(async (opts: { json?: boolean }) => {
      const meta = await withHub(async (hub) => hub.meta, { schema: 'as-is' });
      if (meta.mode !== 'sandbox') {
        throw new CliError(
          'the hub is configured for a real Meta app (META_APP_ID); there are no sandbox credentials',
        );
      }
      const view = {
        app_id: meta.appId,
        app_secret: meta.appSecret,
        app_token: `${meta.appId}|${meta.appSecret}`,
        config_id: meta.configId,
        graph_url: `${meta.graphUrl}/${meta.graphVersion}`,
        verify_token: meta.verifyToken,
      };
      if (opts.json) return printJson(view);
      printLines(
        'Sandbox Meta app (derived from HUB_SECRET; sandbox only, never a real credential):',
        ...Object.entries(view).map(([k, v]) => `  ${k.padEnd(13)}${v}`),
      );
    });

  sandbox
    .command('onboard')
    .description(
      'onboard a sandbox number for a partner end to end (Embedded Signup, code exchange, subscription, registration) through the running hub',
    )
    .requiredOption('--partner <partner_id>', 'the partner that gets permission on the new channel')
    .option('--phone <number>', 'phone number with country code (default: a random +1 555 number)')
    .option('--business <name>', 'business name', 'Sandbox Bakery')
    .option('--display-name <name>', 'WhatsApp display name (default: the business name)')
    .option('--json', 'print {"client_id","channel_id","phone_number_id","waba_id"}')
    .action(
      async (opts: {
        partner: string;
        phone?: string;
        business: string;
        displayName?: string;
        json?: boolean;
      }) => {
        const phone = (opts.phone ?? `+1555${String(randomInt(0, 10_000_000)).padStart(7, '0')}`).trim();
        if (!/^\+?\d{8,15}$/.test(phone)) {
          throw new CliError(
            `--phone must be digits with the country code, e.g. +15550001111 (got "${phone}")`,
          );
        }
        const step = progressFor(opts.json, 4);
        const result = await withHub(async (hub) => {
          if (hub.meta.mode !== 'sandbox') {
            throw new CliError(
              'the hub is configured for a real Meta app (META_APP_ID); sandbox commands are off',
            );
          }
          const em = hub.orm.em.fork();
          const partner = await getPartner(em, opts.partner);
          step(`Embedded Signup in the sandbox at ${hub.config.publicUrl} (business, WABA, number ${phone})`);
          const signup = await completeSandboxSignup(hub, {
            business_name: opts.business,
            phone_number: phone,
            display_name: opts.displayName ?? opts.business,
          });
          const actor = operatorActor();
          step(`creating the client "${opts.business}"`);
          const client = await createClient(em, hub.clock, partner, { name: opts.business }, actor);
          step('provisioning the channel: token exchange, webhook subscription, number registration');
          const { channel } = await provisionChannel(
            em,
            hub,
            {
              client,
              code: signup.code,
              wabaId: signup.waba_id,
              phoneNumberId: signup.phone_number_id,
              businessId: signup.business_id,
            },
            actor,
          );
          step(`granting partner ${partner.id} access to the channel`);
          await grantPermission(em, hub.clock, partner, channel, actor);
          return { client, channel };
        });
        const view = {
          client_id: result.client.id,
          channel_id: result.channel.id,
          phone_number_id: result.channel.phoneNumberId,
          waba_id: result.channel.wabaId,
        };
        if (opts.json) return printJson(view);
        printLines(
          `Onboarded +${result.channel.phoneNumber} for partner ${opts.partner}: channel ${view.channel_id} is ${result.channel.status}.`,
          `  client           ${view.client_id}`,
          `  phone_number_id  ${view.phone_number_id}`,
          `  waba_id          ${view.waba_id}`,
          'Mint an API key for it: POST /api/v2/partners/{partner_id}/channels/{channel_id}/api_keys',
        );
      },
    );
}
