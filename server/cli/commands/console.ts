import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { CONSOLE_ROLES, type ConsoleRole } from '../../../shared/statuses.ts';
import { operatorActor } from '../../modules/audit/actor.ts';
import { createConsoleUser } from '../../modules/console-users/console-users.service.ts';
import { getPartner } from '../../modules/partners/partners.service.ts';
import { CliError, withHub } from '../context.ts';
import { printJson, printLines } from '../output.ts';

const MIN_PASSWORD = 12;

/** The password from CONSOLE_PASSWORD, or a new random one printed once. */
function passwordFromEnv(): { password: string; generated: boolean } {
  const given = process.env.CONSOLE_PASSWORD;
  if (given !== undefined) {
    if (given.length < MIN_PASSWORD)
      throw new CliError(`CONSOLE_PASSWORD must be at least ${MIN_PASSWORD} characters`);
    return { password: given, generated: false };
  }
  return { password: randomBytes(18).toString('base64url'), generated: true };
}

export function registerConsoleCommands(program: Command): void {
  const console = program.command('console').description('console users (/console)');

  console
    .command('create-user')
    .description(
      "create a partner's console user (e.g. its first owner) or, with --operator, an operator of the hub",
    )
    .requiredOption('--email <email>', 'the email the user signs in with')
    .option('--partner <partner_id>', 'the partner the user belongs to')
    .option('--role <role>', `owner, developer or viewer (default owner)`, 'owner')
    .option('--operator', 'an operator of the hub: every partner, health and the audit log; no partner')
    .option('--name <name>', 'display name')
    .option('--json', 'print {"id","email","role","partner_id","password"} as one JSON object')
    .addHelpText(
      'after',
      '\nThe password comes from CONSOLE_PASSWORD; without it a random one is printed once.',
    )
    .action(
      async (opts: {
        email: string;
        partner?: string;
        role: string;
        operator?: boolean;
        name?: string;
        json?: boolean;
      }) => {
        const role = (opts.operator ? 'operator' : opts.role) as ConsoleRole;
        if (!CONSOLE_ROLES.includes(role) || (role === 'operator' && !opts.operator))
          throw new CliError(
            `--role must be owner, developer or viewer (got "${opts.role}"); use --operator for operators`,
          );
        if (opts.operator && opts.partner)
          throw new CliError('an operator belongs to no partner: drop --partner');
        if (!opts.operator && !opts.partner)
          throw new CliError('--partner <partner_id> is required (or --operator)');
        const { password, generated } = passwordFromEnv();
        const user = await withHub(async ({ orm, clock }) => {
          const em = orm.em.fork();
          const partner = opts.partner ? await getPartner(em, opts.partner) : null;
          return createConsoleUser(
            em,
            clock,
            { partner, email: opts.email, password, role, name: opts.name },
            operatorActor(),
          );
        });
        const shown = generated ? password : undefined;
        if (opts.json) {
          printJson({
            id: user.id,
            email: user.email,
            role: user.role,
            partner_id: user.partner?.id ?? null,
            password: shown ?? null,
          });
          return;
        }
        printLines(
          `Created console user ${user.id} (${user.email}, ${user.role}${user.partner ? ` of ${user.partner.id}` : ''})`,
          ...(shown
            ? [
                `  password   ${shown}`,
                'Shown only this once: pass it on safely; the user signs in at /console.',
              ]
            : []),
        );
      },
    );
}
