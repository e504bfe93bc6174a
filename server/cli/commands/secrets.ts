import type { Command } from 'commander';
import { reencryptAll } from '../../modules/secrets/reencrypt.service.ts';
import { withHub } from '../context.ts';
import { printJson, printLines } from '../output.ts';

export function registerSecretCommands(program: Command): void {
  const secrets = program.command('secrets').description('encryption of stored third-party secrets');

  secrets
    .command('reencrypt')
    .description(
      're-seal every stored secret under the current HUB_SECRET (run after rotating it, with the old one in HUB_SECRET_PREVIOUS)',
    )
    .option('--dry-run', 'only count what would be re-encrypted')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { dryRun?: boolean; json?: boolean }) => {
      const report = await withHub(({ orm, secretBox }) =>
        reencryptAll(orm.em.fork(), secretBox, { dryRun: opts.dryRun }),
      );
      if (opts.json) return printJson(report);
      const verb = opts.dryRun ? 'would re-encrypt' : 're-encrypted';
      printLines(
        `Current key id ${report.keyId}; ${verb} ${report.total} value(s).`,
        ...report.columns
          .filter((c) => c.reencrypted > 0)
          .map((c) => `  ${c.table}.${c.column}: ${c.reencrypted}`),
        ...(opts.dryRun || report.total === 0
          ? []
          : ['Every secret is now under the current key: HUB_SECRET_PREVIOUS can be removed.']),
      );
    });
}
