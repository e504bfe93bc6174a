/** The CLI itself (see server/cli/main.ts, which starts tracing first). */
import { Command } from 'commander';
import { registerBillingCommands } from './commands/billing.ts';
import { registerClientCommands } from './commands/clients.ts';
import { registerConsoleCommands } from './commands/console.ts';
import { registerDoctorCommands } from './commands/doctor.ts';
import { registerMetaCommands } from './commands/meta.ts';
import { registerPartnerCommands } from './commands/partners.ts';
import { registerProcessCommands } from './commands/processes.ts';
import { registerSandboxCommands } from './commands/sandbox.ts';
import { registerSecretCommands } from './commands/secrets.ts';
import { registerUsageCommands } from './commands/usage.ts';
import { reportFailure } from './context.ts';

const program = new Command('partner-hub')
  .description('Partner Hub operator CLI')
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

registerProcessCommands(program);
registerPartnerCommands(program);
registerBillingCommands(program);
registerClientCommands(program);
registerConsoleCommands(program);
registerSandboxCommands(program);
registerMetaCommands(program);
registerSecretCommands(program);
registerUsageCommands(program);
registerDoctorCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  reportFailure(err);
}
