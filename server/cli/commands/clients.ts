import type { Command } from 'commander';
import type { ClientStatus } from '../../../shared/statuses.ts';
import { operatorActor } from '../../modules/audit/actor.ts';
import { setClientStatus } from '../../modules/clients/client-status.service.ts';
import { withRuntime } from '../context.ts';
import { printJson, printLines } from '../output.ts';

export function registerClientCommands(program: Command): void {
  const clients = program.command('clients').description('manage client businesses');
  const commands: [string, ClientStatus, string][] = [
    ['suspend', 'suspended', "stop the client's channels sending and its users granting access"],
    ['unsuspend', 'active', 'reinstate a suspended client'],
  ];
  for (const [name, status, description] of commands) {
    clients
      .command(`${name} <client_id>`)
      .description(description)
      .option('--json', 'print {"id","status"} as one JSON object')
      .action(async (clientId: string, opts: { json?: boolean }) => {
        const client = await withRuntime(({ orm }) =>
          setClientStatus(orm.em.fork(), clientId, status, operatorActor()),
        );
        if (opts.json) return printJson({ id: client.id, status: client.status });
        printLines(`Client ${client.id} is ${client.status}.`);
      });
  }
}
