import type { Command } from 'commander';
import { CliError, cliConfig } from '../context.ts';
import { type DoctorReport, runDoctor } from '../doctor/doctor.ts';

/** `doctor`: the operator's first look at a hub; exits 1 when any check fails. */
export function registerDoctorCommands(program: Command): void {
  program
    .command('doctor')
    .description(
      'check the configuration, the database and migrations, the workers, Meta, and failing webhook destinations',
    )
    .option('--json', 'print the report as one JSON object')
    .option('--timeout <ms>', 'bound on each database or network step, in milliseconds', '5000')
    .action(async (opts: { json?: boolean; timeout: string }) => {
      const timeoutMs = Number(opts.timeout);
      if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) {
        throw new CliError(
          `--timeout must be milliseconds from 100 to 120000 (got ${JSON.stringify(opts.timeout)})`,
        );
      }
      const report = await runDoctor({ loadConfig: () => cliConfig(), timeoutMs });
      const text = opts.json ? `${JSON.stringify(report)}\n` : readable(report);
      // Whatever a timed-out step left behind (a socket still connecting) must not keep the
      // process alive: write, wait for stdout to take it, and exit.
      await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
      process.exit(report.ok ? 0 : 1);
    });
}

function readable(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const lines = report.checks.map((c) => `${c.status.padEnd(4)}  ${c.name.padEnd(width)}  ${c.detail}`);
  const hints = report.checks.filter((c) => c.status !== 'ok' && c.hint);
  if (hints.length > 0) {
    lines.push('', 'How to fix:');
    for (const c of hints) lines.push(`  ${c.name}: ${c.hint}`);
  }
  if (report.failing_destinations.length > 0) {
    lines.push('', 'Failing and disabled webhook destinations:');
    for (const d of report.failing_destinations) {
      const since =
        d.state === 'disabled'
          ? `disabled ${d.disabled_at}${d.disabled_reason ? ` (${d.disabled_reason})` : ''}`
          : `failing since ${d.failing_since}, ${d.consecutive_failures} failure(s) in a row`;
      lines.push(`  ${d.id}  partner ${d.partner_id}  ${d.kind}  ${d.host ?? '(no url)'}  ${since}`);
    }
  }
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const warned = report.checks.filter((c) => c.status === 'warn').length;
  lines.push(
    '',
    failed > 0
      ? `${failed} check(s) failed, ${warned} warning(s).`
      : `All checks passed${warned > 0 ? ` (${warned} warning(s))` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}
