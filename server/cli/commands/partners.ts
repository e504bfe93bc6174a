import type { Command } from 'commander';
import { operatorActor } from '../../modules/audit/actor.ts';
import { setPartnerSuspended } from '../../modules/partners/partner-suspension.service.ts';
import { rotatePartnerToken } from '../../modules/partners/partner-tokens.service.ts';
import { createPartner, getPartner, listPartners } from '../../modules/partners/partners.service.ts';
import { primaryDestinationOf } from '../../modules/webhooks/destinations.service.ts';
import { CliError, withHub } from '../context.ts';
import { printJson, printLines, printTable } from '../output.ts';

function parseGrace(value: string): number {
  if (!/^\d+$/.test(value))
    throw new CliError(`--grace-seconds must be a whole number of seconds (got "${value}")`);
  return Number(value);
}

export function registerPartnerCommands(program: Command): void {
  const partners = program.command('partners').description('manage partners and their API tokens');

  partners
    .command('create')
    .description('create a partner; prints its API token and webhook secret once')
    .requiredOption('--name <name>', 'display name of the partner')
    .option('--redirect-url <url>', 'partner_redirect_url (also added to the redirect allowlist)')
    .option('--webhook-url <url>', 'webhook_url that receives lifecycle events')
    .option('--json', 'print {"id","token","webhook_secret"} as one JSON object')
    .action(async (opts: { name: string; redirectUrl?: string; webhookUrl?: string; json?: boolean }) => {
      const created = await withHub(({ orm, secretBox, urlPolicy }) =>
        createPartner(
          orm.em.fork(),
          { secretBox, urlPolicy },
          { name: opts.name, redirectUrl: opts.redirectUrl, webhookUrl: opts.webhookUrl },
          operatorActor(),
        ),
      );
      if (opts.json) {
        printJson({ id: created.partner.id, token: created.token, webhook_secret: created.webhookSecret });
        return;
      }
      printLines(
        `Created partner ${created.partner.id} (${created.partner.name})`,
        `  API token        ${created.token}`,
        `  webhook secret   ${created.webhookSecret}`,
        'Both are shown only this once: store them in your secret manager now.',
      );
    });

  partners
    .command('list')
    .description('list partners')
    .option('--json', 'print a JSON array')
    .action(async (opts: { json?: boolean }) => {
      const views = await withHub(async ({ orm }) => {
        const em = orm.em.fork();
        return Promise.all(
          (await listPartners(em)).map(async (p) => ({
            id: p.id,
            name: p.name,
            webhook_url: (await primaryDestinationOf(em, p.id)).url ?? null,
            created_at: p.createdAt.toISOString(),
          })),
        );
      });
      if (opts.json) return printJson(views);
      if (views.length === 0)
        return printLines(
          'No partners yet. Create one with: npx partner-hub partners create --name "My SaaS"',
        );
      printTable([
        ['ID', 'NAME', 'WEBHOOK URL', 'CREATED'],
        ...views.map((v) => [v.id, v.name, v.webhook_url ?? '-', v.created_at]),
      ]);
    });

  for (const [name, suspended] of [
    ['suspend', true],
    ['unsuspend', false],
  ] as const) {
    partners
      .command(`${name} <partner_id>`)
      .description(
        suspended
          ? "refuse the partner's tokens, console users, permission page, onboarding links and client portal (403 partner_suspended)"
          : 'reinstate a suspended partner',
      )
      .option('--json', 'print {"id","suspended_at"}')
      .action(async (partnerId: string, opts: { json?: boolean }) => {
        const partner = await withHub(({ orm, clock }) =>
          setPartnerSuspended(orm.em.fork(), clock, partnerId, suspended, operatorActor()),
        );
        const suspendedAt = partner.suspendedAt ? new Date(partner.suspendedAt).toISOString() : null;
        if (opts.json) printJson({ id: partner.id, suspended_at: suspendedAt });
        else
          printLines(
            suspendedAt
              ? `Partner ${partner.id} is suspended since ${suspendedAt}`
              : `Partner ${partner.id} is active`,
          );
      });
  }

  partners
    .command('token')
    .description('manage partner API tokens')
    .command('rotate <partner_id>')
    .description('issue a new token; the old ones keep working for the grace window')
    .option('--grace-seconds <seconds>', 'how long the old tokens keep working', parseGrace, 86_400)
    .option('--json', 'print {"id","token_id","token","previous_tokens_expire_at"} as one JSON object')
    .action(async (partnerId: string, opts: { graceSeconds: number; json?: boolean }) => {
      const issued = await withHub(async ({ orm, config, clock }) => {
        const em = orm.em.fork();
        const partner = await getPartner(em, partnerId);
        const max = config.maxLiveTokensPerPartner;
        return rotatePartnerToken(em, clock, partner, operatorActor(), opts.graceSeconds, max);
      });
      const expireAt = new Date(issued.record.createdAt.getTime() + opts.graceSeconds * 1000).toISOString();
      if (opts.json) {
        return printJson({
          id: partnerId,
          token_id: issued.record.id,
          token: issued.token,
          previous_tokens_expire_at: expireAt,
        });
      }
      printLines(
        `New API token for ${partnerId}: ${issued.token}`,
        `Previous tokens stop working at ${expireAt}. The new token is shown only this once.`,
      );
    });
}
