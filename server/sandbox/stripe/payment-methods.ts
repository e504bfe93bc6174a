import type { Query } from '../store/db.ts';
import { checkCard } from './cards.ts';
import { type StripeSandbox, stripeId } from './context.ts';
import type { Call } from './endpoint.ts';
import { stripeErrors } from './errors.ts';
import { type Customer, newPaymentMethod, type PaymentMethod } from './objects.ts';
import { allowOnly, metadataUpdate, optionalHash, type Params, requiredString } from './params.ts';
import { insertObject, loadObject, saveObject } from './store.ts';

/** A card PaymentMethod from `card[…]` (or `payment_method_data[card][…]`, `prefix` naming it in errors). */
export async function createCardMethod(
  sb: StripeSandbox,
  q: Query,
  params: Params,
  prefix = '',
): Promise<PaymentMethod> {
  const name = (field: string) => (prefix ? `${prefix}[${field}]` : field);
  allowOnly(params, ['type', 'card', 'billing_details', 'metadata', 'expand', 'allow_redisplay']);
  const type = requiredString(params, 'type', name('type'));
  if (type !== 'card') {
    throw stripeErrors.invalidParam(
      name('type'),
      `The sandbox supports only card payment methods, not ${type}.`,
    );
  }
  const card = optionalHash(params, 'card');
  if (!card) throw stripeErrors.missing(name('card'));
  const method = newPaymentMethod(
    stripeId('pm'),
    sb.now(),
    checkCard(card, sb.state.deps.clock.now(), name('card')),
  );
  method.metadata = metadataUpdate(params);
  await insertObject(q, method, sb.state.deps.clock.now());
  return method;
}

export function createPaymentMethod(sb: StripeSandbox) {
  return ({ params }: Call) => sb.write(({ q }) => createCardMethod(sb, q, params));
}

export function retrievePaymentMethod(sb: StripeSandbox) {
  return ({ id }: Call) => loadObject(sb.state.query, 'payment_method', id);
}

/** Attaches `method` to `customerId`; a card already on another customer cannot move. */
export async function attachMethod(q: Query, method: PaymentMethod, customerId: string): Promise<void> {
  if (method.customer === customerId) return;
  if (method.customer) {
    throw stripeErrors.unexpectedState(
      'payment_method_unexpected_state',
      'The payment method you provided has already been attached to a customer.',
    );
  }
  method.customer = customerId;
  await saveObject(q, method);
}

export function attachPaymentMethod(sb: StripeSandbox) {
  return ({ params, id }: Call) => {
    allowOnly(params, ['customer', 'expand']);
    const customerId = requiredString(params, 'customer');
    return sb.write(async ({ q, emit }) => {
      const method = await loadObject<PaymentMethod>(q, 'payment_method', id, { lock: true });
      await loadObject<Customer>(q, 'customer', customerId, { param: 'customer' });
      await attachMethod(q, method, customerId);
      emit('payment_method.attached', method);
      return method;
    });
  };
}

/** Control API: make a saved card decline (or stop declining) every later charge. */
export function setChargeOutcome(sb: StripeSandbox) {
  return ({ params, id }: Call) => {
    allowOnly(params, ['charge_outcome']);
    const outcome = requiredString(params, 'charge_outcome');
    if (!['succeed', 'generic_decline', 'insufficient_funds'].includes(outcome)) {
      throw stripeErrors.invalidParam(
        'charge_outcome',
        'charge_outcome must be succeed, generic_decline or insufficient_funds',
      );
    }
    return sb.write(async ({ q }) => {
      const method = await loadObject<PaymentMethod>(q, 'payment_method', id, { lock: true });
      if (outcome === 'succeed') {
        delete method._charge_decline;
        if (method._behaviour === 'decline_charges') method._behaviour = 'succeed';
      } else {
        method._charge_decline = outcome;
      }
      await saveObject(q, method);
      return { id: method.id, object: 'payment_method', charge_outcome: outcome };
    });
  };
}
