import type { Command } from 'commander';
import { replayMetaWebhooks } from '../../modules/inbound/inbound-router.ts';
import { CliError, withHub } from '../context.ts';
import { printJson, printLines } from '../output.ts';

/** `--since`: an ISO timestamp, or a duration back from now (`90m`, `24h`, `7d`). */
export function parseSince(value: string, now: Date): Date {
  const ago = /^(\d{1,6})([mhd])$/.exec(value);
  if (ago) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[ago[2] as 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(ago[1]) * unit);
  }
  const at = new Date(value);
  if (Number.isNaN(at.getTime()))
    throw new CliError(`--since ${value}: give an ISO time or a duration like 24h`);
  return at;
}

export function registerMetaCommands(program: Command): void {
  const meta = program.command('meta').description("Meta's webhooks as the hub keeps them");

  meta
    .command('replay')
    .description(
      'route kept Meta webhooks again: those nobody held yet (the channel did not exist), now that it does',
    )
    .option('--since <when>', 'only payloads received since (ISO time, or 90m / 24h / 7d ago)')
    .option('--waba <id>', 'only payloads about this WABA')
    .option('--include-failed', 'also payloads whose routing failed with an error (after a fix)')
    .option('--json', 'print {"considered","routed","events"}')
    .action(async (opts: { since?: string; waba?: string; includeFailed?: boolean; json?: boolean }) => {
      if (opts.waba !== undefined && !/^\d{1,32}$/.test(opts.waba)) {
        throw new CliError(`--waba ${opts.waba}: a WABA id is digits`);
      }
      const result = await withHub((hub) =>
        replayMetaWebhooks(hub.orm, hub.clock, {
          since: opts.since ? parseSince(opts.since, hub.clock.now()) : undefined,
          wabaId: opts.waba,
          includeFailed: opts.includeFailed ?? false,
        }),
      );
      if (opts.json) return printJson(result);
      printLines(
        `Replayed ${result.considered} kept payload(s): ${result.routed} reached a partner (${result.events} event(s)); ${
          result.considered - result.routed
        } still unmatched.`,
      );
    });
}
