import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { PAYMENT_MODELS, STATEMENT_STATUSES } from '../statuses.ts';
import { NextCursorSchema, PaginationQuerySchema, TimestampSchema } from './common.ts';
import { safeString } from './safe-text.ts';

/** ISO 3166-1 alpha-2, or `*` for every country the list does not name. */
const CountrySchema = safeString().regex(/^([A-Z]{2}|\*)$/, 'an ISO 3166 alpha-2 country code (DE) or *');
const CategorySchema = safeString().regex(/^[a-z_]{1,64}$/, "Meta's pricing category, e.g. marketing");
/** A money amount as text or number, at most 6 decimals (micros): `0.1365`. */
const DecimalSchema = z
  .union([safeString(), z.number()])
  .transform((v) => String(v))
  .pipe(safeString().regex(/^\d{1,6}(\.\d{1,6})?$/, 'a non-negative amount with at most 6 decimals'));
/** A markup in percent with at most 2 decimals: `10`, `12.5`. */
const MarkupSchema = z.number().min(0).max(1000).multipleOf(0.01);

export const PriceListInputSchema = z
  .strictObject({
    currency: safeString().regex(/^[a-z]{3}$/, 'an ISO 4217 code in lower case, e.g. eur'),
    effective_at: TimestampSchema.optional().meta({ description: 'From when it applies (default: now)' }),
    markup_percent: MarkupSchema.default(0).meta({ description: "The provider's markup over Meta's rates" }),
    rates: z
      .array(
        z.strictObject({
          category: CategorySchema,
          country: CountrySchema,
          meta_rate: DecimalSchema.meta({ description: "Meta's rate per message, e.g. 0.1365" }),
          markup_percent: MarkupSchema.optional().meta({
            description: 'This rate’s markup, if not the list’s',
          }),
        }),
      )
      .min(1)
      .max(5000),
  })
  .meta({ id: 'PriceListInput' });
export type PriceListInput = z.infer<typeof PriceListInputSchema>;

const RateViewSchema = z.object({
  category: safeString(),
  country: safeString(),
  meta_rate: safeString().meta({ description: "Meta's rate per message" }),
  markup_percent: z.number(),
  price: safeString().meta({ description: 'What a message costs: Meta’s rate plus the markup' }),
});

export const PriceListViewSchema = z
  .object({
    version: z.number().int(),
    currency: safeString(),
    effective_at: TimestampSchema,
    rates: z.array(RateViewSchema),
  })
  .meta({ id: 'PriceList' });
export type PriceListView = z.infer<typeof PriceListViewSchema>;

export const TermsViewSchema = z
  .object({ version: z.number().int(), url: safeString(), effective_at: TimestampSchema })
  .meta({ id: 'Terms' });
export type TermsView = z.infer<typeof TermsViewSchema>;

export const BillingViewSchema = z
  .object({
    payment_model: z.enum(PAYMENT_MODELS).meta({
      description: '`partner`: you pay for your clients’ messaging; `direct`: each client pays the provider',
    }),
    terms: TermsViewSchema.nullable(),
    price_list: PriceListViewSchema.nullable(),
  })
  .meta({ id: 'Billing' });
export type BillingView = z.infer<typeof BillingViewSchema>;

export const StatementLineSchema = z.object({
  category: safeString(),
  country: safeString(),
  price_list_version: z.number().int(),
  messages: z.number().int(),
  unit_price: safeString(),
  amount: safeString(),
});

export const StatementViewSchema = z
  .object({
    id: idSchema('statement'),
    partner_id: idSchema('partner'),
    client_id: idSchema('client')
      .nullable()
      .meta({ description: 'The client billed; null on your own statement' }),
    period: safeString().meta({ description: 'The UTC month, YYYY-MM' }),
    payment_model: z.enum(PAYMENT_MODELS),
    currency: safeString(),
    lines: z.array(StatementLineSchema),
    total: safeString(),
    status: z.enum(STATEMENT_STATUSES),
    failure_code: safeString().nullable(),
    issued_at: TimestampSchema,
    paid_at: TimestampSchema.nullable(),
  })
  .meta({ id: 'Statement' });
export type StatementView = z.infer<typeof StatementViewSchema>;

export const StatementListQuerySchema = PaginationQuerySchema.extend({
  client_id: idSchema('client').optional(),
  period: safeString()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month, YYYY-MM')
    .optional(),
}).strict();
export type StatementListQuery = z.infer<typeof StatementListQuerySchema>;

export const StatementPageSchema = z
  .object({ statements: z.array(StatementViewSchema), next_cursor: NextCursorSchema })
  .meta({ id: 'StatementPage' });

const DaySchema = z.iso.date().meta({ description: 'A UTC day, YYYY-MM-DD' });

/** 360dialog's `GET …/clients/{client_id}/info/balance` query. */
export const BalanceQuerySchema = z
  .object({
    start_date: DaySchema.optional().meta({ description: 'First UTC day (default: the 1st of this month)' }),
    end_date: DaySchema.optional().meta({ description: 'Last UTC day, included (default: today)' }),
    granularity: z.enum(['DAY', 'MONTH']).default('DAY'),
  })
  .strict();
export type BalanceQuery = z.infer<typeof BalanceQuerySchema>;

export const BalanceViewSchema = z
  .object({
    partner_id: idSchema('partner'),
    client_id: idSchema('client'),
    payment_model: z.enum(PAYMENT_MODELS),
    currency: safeString()
      .nullable()
      .meta({ description: 'Of the price list in force; null when none is published' }),
    start_date: DaySchema,
    end_date: DaySchema,
    granularity: z.enum(['DAY', 'MONTH']),
    balance: safeString().meta({
      description:
        'What the client owes: minus the total of its issued statements not yet paid (Direct Payment); 0 under Partner Payment',
    }),
    billing_status: z.enum(['ok', 'past_due', 'suspended']),
    usage: z.array(
      z.object({
        period_date: DaySchema.meta({ description: 'The day, or the first day of the month' }),
        quantity: z.number().int().meta({ description: 'Messages sent and received' }),
        paid_quantity: z.number().int().meta({ description: 'Billable messages' }),
        free_quantity: z.number().int(),
        paid_by_category: z.record(safeString(), z.number().int()),
        total_price: safeString().meta({
          description: 'The billable messages at the price list in force each day',
        }),
      }),
    ),
    total_price: safeString(),
  })
  .meta({ id: 'Balance' });
export type BalanceView = z.infer<typeof BalanceViewSchema>;
