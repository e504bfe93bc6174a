import { z } from 'zod';
import { safeString } from '../../shared/schemas/safe-text.ts';
import { AppError } from '../errors.ts';
import type { Hub } from '../hub.ts';
import type { Actor } from '../modules/audit/actor.ts';
import { billingComplete, completeCardSetup, startCardSetup } from '../modules/billing/card-setup.service.ts';
import { priceListInForce, toPriceListView } from '../modules/billing/price-lists.service.ts';
import { termsInForce, toTermsView } from '../modules/billing/terms.service.ts';
import type { Client } from '../modules/clients/client.entity.ts';
import { pricePage, replaceCardPage } from './views/billing-pages.ts';
import { type Brand, messagePage } from './views/layout.ts';

export const CardSetupSchema = z.strictObject({
  setup_intent: safeString().min(1).max(255),
  accept: z.boolean().optional(),
  terms_version: z.number().int().positive().optional(),
  price_list_version: z.number().int().positive().optional(),
});

/** Hosted pages refuse to go on to Embedded Signup until a direct-paid client has done this step. */
export function assertBillingComplete(client: Client): void {
  if (!billingComplete(client)) {
    throw new AppError('payment_required', 'Accept the prices and add a card first: reload the page');
  }
}

/**
 * Direct Payment's page for `client`: the prices in force, the terms, and a card field with a
 * fresh SetupIntent. Without a published price list (or a payment provider) the step cannot
 * be done, and the page says so instead of letting the client past it.
 */
export async function renderPricePage(
  deps: Hub,
  client: Client,
  page: { brand: Brand; email: string; csrfToken: string; completeUrl: string; returnUrl: string },
): Promise<{ status: number; html: string }> {
  const em = deps.orm.em.fork();
  const now = deps.clock.now();
  const [terms, list] = await Promise.all([termsInForce(em, now), priceListInForce(em, now)]);
  if (!list || !deps.payments) {
    deps.logger.warn(
      { clientId: client.id, priceList: Boolean(list), payments: Boolean(deps.payments) },
      'direct payment is not set up: publish a price list and configure Stripe',
    );
    return {
      status: 409,
      html: messagePage({
        title: 'Payment is not set up yet',
        message: `${page.brand.name} bills messages to you directly, but its provider has not published prices yet. Try again later or contact ${page.brand.name}.`,
        brand: page.brand,
        role: 'alert',
      }),
    };
  }
  const setup = await startCardSetup(em, deps, em.merge(client), { email: page.email });
  return {
    status: 200,
    html: pricePage({
      brand: page.brand,
      terms: terms && toTermsView(terms),
      priceList: toPriceListView(list),
      ...setup,
      completeUrl: page.completeUrl,
      returnUrl: page.returnUrl,
      csrfToken: page.csrfToken,
    }),
  };
}

/**
 * The page's confirmed card, with the versions it showed: both must still be the ones in
 * force (else 409: the page reloads with the new prices), and the box must be ticked.
 */
export async function acceptPricesAndCard(
  deps: Hub,
  client: Client,
  body: unknown,
  actor: Actor,
): Promise<void> {
  const input = CardSetupSchema.parse(body);
  if (input.accept !== true) {
    throw new AppError('validation_failed', 'Tick the box to accept the terms of service and the prices', {
      field: 'accept',
    });
  }
  const em = deps.orm.em.fork();
  const now = deps.clock.now();
  const [terms, list] = await Promise.all([termsInForce(em, now), priceListInForce(em, now)]);
  if (
    !list ||
    list.version !== input.price_list_version ||
    (terms?.version ?? undefined) !== input.terms_version
  ) {
    throw new AppError(
      'conflict',
      'The prices or terms changed while you were on this page: reload it to see them',
      {
        price_list_version: list?.version ?? null,
        terms_version: terms?.version ?? null,
      },
    );
  }
  await completeCardSetup(
    em,
    deps,
    em.merge(client),
    input.setup_intent,
    { termsVersion: terms?.version ?? null, priceListVersion: list.version },
    actor,
  );
}

/** The client hub's card replacement page. */
export async function renderReplaceCard(
  deps: Hub,
  client: Client,
  page: { email: string; csrfToken: string },
): Promise<string> {
  const em = deps.orm.em.fork();
  const setup = await startCardSetup(em, deps, em.merge(client), { email: page.email });
  return replaceCardPage({
    ...setup,
    current: client.paymentMethodLabel ?? null,
    completeUrl: '/hub/billing/card',
    returnUrl: '/hub/billing/card',
    csrfToken: page.csrfToken,
  });
}

export async function replaceCard(deps: Hub, client: Client, body: unknown, actor: Actor): Promise<void> {
  const input = CardSetupSchema.parse(body);
  const em = deps.orm.em.fork();
  await completeCardSetup(em, deps, em.merge(client), input.setup_intent, null, actor);
}
