import type { Command } from 'commander';
import type { ClientStatus } from '../../../shared/statuses.ts';
import { operatorActor } from '../../modules/audit/actor.ts';
import { eraseClient } from '../../modules/clients/client-erasure.service.ts';
import { setClientStatus } from '../../modules/clients/client-status.service.ts';
import { CliError, withHub } from '../context.ts';
import { printJson, printLines } from '../output.ts';

export function registerClientCommands(program: Command): void {
  const clients = program.command('clients').description("manage partners' clients");

  clients
    .command('erase <client_id>')
    .description(
      'GDPR erasure: revoke the client’s grants (partners get permission.revoked and client.deleted), then delete its users, sessions, channels, keys and personal data',
    )
    .option('--yes', 'confirm: the erasure cannot be undone')
    .option('--json', 'print {"client_id","users","channels","revoked_permissions"} as one JSON object')
    .action(async (clientId: string, opts: { yes?: boolean; json?: boolean }) => {
      if (!opts.yes) throw new CliError(`erasing ${clientId} cannot be undone: add --yes to confirm`);
      const erased = await withHub(({ orm, clock }) =>
        eraseClient(orm.em.fork(), clock, clientId, operatorActor()),
      );
      if (opts.json) {
        return printJson({
          client_id: erased.clientId,
          users: erased.users,
          channels: erased.channels,
          revoked_permissions: erased.revokedPermissions,
        });
      }
      printLines(
        `Erased client ${erased.clientId}: ${erased.users} user(s), ${erased.channels} channel(s), ${erased.revokedPermissions.length} grant(s) revoked.`,
        'Audit rows about it are kept with addresses, user agents and details redacted.',
      );
    });

  const statuses: [string, ClientStatus, string][] = [
    ['suspend', 'suspended', "stop the client's channels sending and its users granting access"],
    ['unsuspend', 'active', 'reinstate a suspended client'],
  ];
  for (const [name, status, description] of statuses) {
    clients
      .command(`${name} <client_id>`)
      .description(description)
      .option('--json', 'print {"id","status"} as one JSON object')
      .action(async (clientId: string, opts: { json?: boolean }) => {
        const client = await withHub(({ orm }) =>
          setClientStatus(orm.em.fork(), clientId, status, operatorActor()),
        );
        if (opts.json) return printJson({ id: client.id, status: client.status });
        printLines(`Client ${client.id} is ${client.status}.`);
      });
  }
}
