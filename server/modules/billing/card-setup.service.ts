import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import type { PaymentGateway } from '../../payments/payment-gateway.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Client } from '../clients/client.entity.ts';
import { acceptTerms } from './acceptance.ts';
import { Statement } from './statement.entity.ts';
import { enqueueCharge } from './statements.service.ts';

export interface CardDeps {
  clock: Clock;
  payments: PaymentGateway | undefined;
}

function gatewayOf(deps: CardDeps): PaymentGateway {
  if (!deps.payments) {
    throw new AppError('conflict', 'Card payments are not set up on this hub yet: contact the provider');
  }
  return deps.payments;
}

/**
 * A SetupIntent for the client's card, for Stripe.js on the page: the card goes from the
 * browser to the payment provider, never through the hub. The client's customer is made once.
 */
export async function startCardSetup(
  em: EntityManager,
  deps: CardDeps,
  client: Client,
  contact: { email: string },
): Promise<{ clientSecret: string; publishableKey: string; jsUrl: string }> {
  const payments = gatewayOf(deps);
  if (!client.billingCustomerId) {
    const { customerId } = await payments.createCustomer(
      {
        clientId: client.id,
        partnerId: client.partner.id,
        email: contact.email,
        name: client.name ?? undefined,
      },
      `customer:${client.id}`,
    );
    client.billingCustomerId = customerId;
  }
  // Every page gets its own intent: a key from the clock would hand a page shown in the same
  // millisecond (or under a clock that stands still) an intent already used, even succeeded.
  const intent = await payments.createSetupIntent(
    client.billingCustomerId,
    `setup:${client.id}:${randomUUID()}`,
  );
  client.setupIntentId = intent.setupIntentId;
  await em.flush();
  return {
    clientSecret: intent.clientSecret,
    publishableKey: payments.publishableKey,
    jsUrl: payments.jsUrl,
  };
}

/**
 * Stores the card a confirmed SetupIntent saved (its ids and a label, never card data) as the
 * client's default, with the terms and price list it accepted on the same page, and queues a
 * new charge of every statement that failed: a new card settles what is overdue.
 */
export async function completeCardSetup(
  em: EntityManager,
  deps: CardDeps,
  client: Client,
  setupIntentId: string,
  accepted: { termsVersion: number | null; priceListVersion: number } | null,
  actor: Actor,
): Promise<{ label: string }> {
  const payments = gatewayOf(deps);
  if (!client.billingCustomerId || setupIntentId !== client.setupIntentId) {
    throw new AppError('forbidden', 'This card setup belongs to another session: reload the page');
  }
  const result = await payments.setupIntentResult(setupIntentId);
  if (result.customerId !== client.billingCustomerId) {
    throw new AppError('forbidden', 'This card setup belongs to another business');
  }
  if (result.status !== 'succeeded' || !result.paymentMethodId) {
    throw new AppError(
      'payment_failed',
      result.failure?.message ?? 'The card was not saved: try again or use another card',
      {
        decline_code: result.failure?.declineCode ?? result.failure?.code ?? null,
        status: result.status,
      },
    );
  }
  await payments.setDefaultPaymentMethod(client.billingCustomerId, result.paymentMethodId);
  const card = await payments.paymentMethodSummary(result.paymentMethodId);
  const label = `${card.brand} •••• ${card.last4}, ${String(card.expMonth).padStart(2, '0')}/${String(card.expYear % 100).padStart(2, '0')}`;
  await em.transactional(async (tx) => {
    const replaced = client.paymentMethodId !== null && client.paymentMethodId !== undefined;
    client.paymentMethodId = result.paymentMethodId;
    client.paymentMethodLabel = label;
    tx.persist(client);
    if (accepted) acceptTerms(tx, deps.clock, client, accepted, actor);
    recordAudit(tx, actor, {
      partner: client.partner,
      action: replaced ? 'client.card_replaced' : 'client.card_added',
      target: { type: 'client', id: client.id },
      details: { card: label },
    });
    const failed = await tx.find(Statement, { client, status: 'payment_failed' });
    for (const s of failed) await enqueueCharge(tx, deps.clock, s.id);
  });
  return { label };
}

/** Direct Payment's page is done: the client accepted what is in force and has a card. */
export function billingComplete(client: Client): boolean {
  return (
    client.paymentModel !== 'direct' || (client.paymentMethodId != null && client.priceListVersion != null)
  );
}
