import type { Command } from 'commander';
import { idSchema } from '../../../shared/ids.ts';
import { UsageQuerySchema } from '../../../shared/schemas/usage.ts';
import { usageCsv, usageReport } from '../../modules/usage/usage.service.ts';
import { CliError, withHub } from '../context.ts';
import { printJson, printLines, printTable } from '../output.ts';

export function registerUsageCommands(program: Command): void {
  program
    .command('usage')
    .description("a partner's usage ledger: messages per channel and UTC day, by direction and Meta pricing")
    .requiredOption('--partner <partner_id>', 'the partner')
    .option('--from <day>', 'first UTC day, YYYY-MM-DD (default: 30 days before --to)')
    .option('--to <day>', 'last UTC day, included (default: today)')
    .option('--channel <channel_id>', 'only this channel')
    .option('--json', 'print the report as JSON (as GET /api/v2/partners/{id}/usage answers)')
    .option('--csv', 'print the rows as CSV')
    .action(
      async (opts: {
        partner: string;
        from?: string;
        to?: string;
        channel?: string;
        json?: boolean;
        csv?: boolean;
      }) => {
        if (!idSchema('partner').safeParse(opts.partner).success)
          throw new CliError(`--partner ${opts.partner}: not a partner id`);
        const parsed = UsageQuerySchema.safeParse({ from: opts.from, to: opts.to, channel_id: opts.channel });
        if (!parsed.success)
          throw new CliError(
            parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '),
          );
        const report = await withHub(({ orm, clock }) =>
          usageReport(orm.em.fork(), clock, opts.partner, parsed.data),
        );
        if (opts.json) return printJson(report);
        if (opts.csv) {
          process.stdout.write(usageCsv(report));
          return;
        }
        printLines(
          `Usage of ${opts.partner}, ${report.from} to ${report.to}: ${report.totals.messages} message(s), ${report.totals.billable} billable.`,
        );
        if (report.rows.length > 0)
          printTable([
            ['day', 'channel', 'direction', 'category', 'model', 'billable', 'messages'],
            ...report.rows.map((r) => [
              r.day,
              r.channel_id,
              r.direction,
              r.category,
              r.pricing_model || '-',
              r.billable ? 'yes' : 'no',
              String(r.messages),
            ]),
          ]);
      },
    );
}
