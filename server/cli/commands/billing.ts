import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { PriceListInputSchema } from '../../../shared/schemas/billing.ts';
import { PAYMENT_MODELS, type PaymentModel } from '../../../shared/statuses.ts';
import { operatorActor } from '../../modules/audit/actor.ts';
import { setPaymentModel } from '../../modules/billing/payment-model.service.ts';
import {
  priceListInForce,
  publishPriceList,
  toPriceListView,
} from '../../modules/billing/price-lists.service.ts';
import { issueStatements } from '../../modules/billing/statements.service.ts';
import { publishTerms, termsInForce, toTermsView } from '../../modules/billing/terms.service.ts';
import { getPartner } from '../../modules/partners/partners.service.ts';
import { CliError, withHub } from '../context.ts';
import { printJson, printLines, printTable } from '../output.ts';

function effectiveAt(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (!z.iso.datetime({ offset: true }).safeParse(value).success && !/^\d{4}-\d{2}-\d{2}$/.test(value))
    throw new CliError(`--effective must be an ISO date or timestamp (got "${value}")`);
  if (Number.isNaN(at.getTime())) throw new CliError(`--effective is not a date (got "${value}")`);
  return at;
}

function readPriceFile(path: string) {
  let raw: string;
  try {
    raw = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new CliError(`${path} is not JSON`);
  }
  const parsed = PriceListInputSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(`${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

export function registerBillingCommands(program: Command): void {
  const billing = program
    .command('billing')
    .description('payment models, terms of service, price lists and statements (docs/billing.md)');

  billing
    .command('payment-model <partner_id> <model>')
    .description('set who pays for a partner’s clients: partner (Partner Payment) or direct (Direct Payment)')
    .action(async (partnerId: string, model: string) => {
      if (!(PAYMENT_MODELS as readonly string[]).includes(model))
        throw new CliError(`the payment model is partner or direct (got "${model}")`);
      const changed = await withHub(async ({ orm, clock }) => {
        const em = orm.em.fork();
        const partner = await getPartner(em, partnerId);
        return setPaymentModel(em, clock, partner, model as PaymentModel, operatorActor());
      });
      printLines(
        changed
          ? `Partner ${partnerId} now uses ${model} payment.`
          : `Partner ${partnerId} already uses ${model} payment.`,
      );
    });

  const terms = billing.command('terms').description('the terms of service clients accept');
  terms
    .command('publish')
    .description('publish a new version of the terms of service')
    .requiredOption('--url <url>', 'where the terms are published')
    .option('--effective <date>', 'from when they apply (default: now)')
    .option('--json', 'print the published version as JSON')
    .action(async (opts: { url: string; effective?: string; json?: boolean }) => {
      const published = await withHub(async ({ orm, clock, urlPolicy }) =>
        toTermsView(
          await publishTerms(
            orm.em.fork(),
            { clock, urlPolicy },
            { url: opts.url, effectiveAt: effectiveAt(opts.effective) },
            operatorActor(),
          ),
        ),
      );
      if (opts.json) return printJson(published);
      printLines(
        `Published terms version ${published.version} (${published.url}), effective ${published.effective_at}`,
      );
    });

  const prices = billing
    .command('prices')
    .description('the price list: per-message prices by category and country');
  prices
    .command('publish')
    .description('publish a new version of the price list from a JSON file (- for stdin)')
    .requiredOption(
      '--file <path>',
      'the price list: {"currency","markup_percent","rates":[{"category","country","meta_rate"}]}',
    )
    .option('--effective <date>', 'from when it applies (overrides effective_at in the file; default: now)')
    .option('--json', 'print the published version as JSON')
    .action(async (opts: { file: string; effective?: string; json?: boolean }) => {
      const input = readPriceFile(opts.file);
      const at = effectiveAt(opts.effective);
      if (at) input.effective_at = at.toISOString();
      const published = await withHub(async ({ orm, clock }) =>
        toPriceListView(await publishPriceList(orm.em.fork(), clock, input, operatorActor())),
      );
      if (opts.json) return printJson(published);
      printLines(
        `Published price list version ${published.version} (${published.rates.length} rates, ${published.currency}), effective ${published.effective_at}`,
      );
    });

  const statements = billing.command('statements').description('monthly statements from the usage ledger');
  statements
    .command('issue')
    .description(
      'issue a month’s statements now (the worker does it on the 1st for the month before); charges are queued for the worker',
    )
    .requiredOption('--period <YYYY-MM>', 'the UTC month')
    .option('--json', 'print {"issued","skipped"} as JSON')
    .action(async (opts: { period: string; json?: boolean }) => {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.period))
        throw new CliError(`--period must be a month, YYYY-MM (got "${opts.period}")`);
      const result = await withHub(({ orm, clock }) => issueStatements(orm.em.fork(), clock, opts.period));
      if (opts.json) return printJson(result);
      printLines(`Issued ${result.issued} statement(s) for ${opts.period}; the worker charges them.`);
      for (const s of result.skipped) printLines(`  not issued for ${s.scope}: ${s.reason}`);
    });

  billing
    .command('show')
    .description('the terms and price list in force now')
    .option('--json', 'print {"terms","price_list"} as JSON')
    .action(async (opts: { json?: boolean }) => {
      const now = await withHub(async ({ orm, clock }) => {
        const em = orm.em.fork();
        const t = await termsInForce(em, clock.now());
        const p = await priceListInForce(em, clock.now());
        return { terms: t && toTermsView(t), price_list: p && toPriceListView(p) };
      });
      if (opts.json) return printJson(now);
      printLines(
        now.terms
          ? `Terms version ${now.terms.version}: ${now.terms.url}`
          : 'No terms published (npx partner-hub billing terms publish --url …)',
      );
      if (!now.price_list)
        return printLines('No price list published (npx partner-hub billing prices publish --file …)');
      printLines(
        `Price list version ${now.price_list.version} (${now.price_list.currency}), effective ${now.price_list.effective_at}`,
      );
      printTable([
        ['CATEGORY', 'COUNTRY', 'META RATE', 'MARKUP %', 'PRICE'],
        ...now.price_list.rates.map((r) => [
          r.category,
          r.country,
          r.meta_rate,
          String(r.markup_percent),
          r.price,
        ]),
      ]);
    });
}
