import { randomBase62 } from '../ids.ts';
import type { Query } from '../store/db.ts';
import { setupDecline } from './cards.ts';
import { type StripeSandbox, type StripeTx, stripeId } from './context.ts';
import type { Call } from './endpoint.ts';
import { StripeApiError, stripeErrors } from './errors.ts';
import { type Customer, newSetupIntent, type PaymentMethod, type SetupIntent } from './objects.ts';
import {
  allowOnly,
  metadataUpdate,
  oneOf,
  optionalHash,
  optionalString,
  optionalStringList,
  type Params,
} from './params.ts';
import { attachMethod, createCardMethod } from './payment-methods.ts';
import { insertObject, loadObject, publicView, saveObject } from './store.ts';

export function createSetupIntent(sb: StripeSandbox) {
  return ({ params }: Call) => {
    allowOnly(params, [
      'customer',
      'usage',
      'payment_method_types',
      'allowed_payment_method_types',
      'description',
      'metadata',
      'expand',
    ]);
    const types = optionalStringList(params, 'allowed_payment_method_types') ??
      optionalStringList(params, 'payment_method_types') ?? ['card'];
    if (types.some((type) => type !== 'card')) {
      throw stripeErrors.invalidParam('allowed_payment_method_types', 'The sandbox supports only card.');
    }
    const customerId = optionalString(params, 'customer');
    return sb.write(async ({ q }) => {
      if (customerId) await loadObject<Customer>(q, 'customer', customerId, { param: 'customer' });
      const intent = newSetupIntent(stripeId('seti'), randomBase62(24), sb.now(), {
        customer: customerId ?? null,
        usage: oneOf(params, 'usage', ['off_session', 'on_session']) ?? 'off_session',
        description: optionalString(params, 'description') ?? null,
        metadata: metadataUpdate(params),
      });
      await insertObject(q, intent, sb.state.deps.clock.now());
      return intent;
    });
  };
}

/** A publishable key (Stripe.js) must show the intent's client secret, as on Stripe. */
function checkClientSecret(intent: SetupIntent, call: Call): void {
  if (call.key === 'secret') return;
  const given = optionalString(call.params, 'client_secret');
  if (!given) throw stripeErrors.missing('client_secret');
  if (given !== intent.client_secret) throw stripeErrors.clientSecretMismatch();
}

export function retrieveSetupIntent(sb: StripeSandbox) {
  return async (call: Call) => {
    allowOnly(call.params, ['client_secret', 'expand']);
    const intent = await loadObject<SetupIntent>(sb.state.query, 'setup_intent', call.id);
    checkClientSecret(intent, call);
    return intent;
  };
}

async function succeed(q: Query, emit: StripeTx['emit'], intent: SetupIntent, method: PaymentMethod) {
  if (intent.customer) await attachMethod(q, method, intent.customer);
  Object.assign(intent, {
    status: 'succeeded',
    payment_method: method.id,
    last_setup_error: null,
    next_action: null,
  });
  await saveObject(q, intent);
  emit('setup_intent.succeeded', intent);
}

async function fail(
  q: Query,
  emit: StripeTx['emit'],
  intent: SetupIntent,
  error: SetupIntent['last_setup_error'],
) {
  Object.assign(intent, {
    status: 'requires_payment_method',
    payment_method: null,
    next_action: null,
    last_setup_error: error,
  });
  await saveObject(q, intent);
  emit('setup_intent.setup_failed', intent);
}

/** Which card to confirm with: new card data, a PaymentMethod id, or the one already on the intent. */
async function methodFor(
  sb: StripeSandbox,
  q: Query,
  params: Params,
  intent: SetupIntent,
): Promise<PaymentMethod> {
  const data = optionalHash(params, 'payment_method_data');
  if (data) return createCardMethod(sb, q, data, 'payment_method_data');
  const id = optionalString(params, 'payment_method') ?? intent.payment_method;
  if (!id) throw stripeErrors.missing('payment_method');
  const method = await loadObject<PaymentMethod>(q, 'payment_method', id, {
    lock: true,
    param: 'payment_method',
  });
  if (method.customer && intent.customer && method.customer !== intent.customer) {
    throw stripeErrors.invalidParam(
      'payment_method',
      `The payment method ${id} belongs to another customer.`,
    );
  }
  return method;
}

export function confirmSetupIntent(sb: StripeSandbox) {
  return async (call: Call) => {
    const { params } = call;
    allowOnly(params, [
      'payment_method',
      'payment_method_data',
      'return_url',
      'client_secret',
      'expand',
      'use_stripe_sdk',
    ]);
    const returnUrl = optionalString(params, 'return_url');
    // A decline is stored (the intent records it, the webhook goes out) and then answered as a 402.
    const outcome = await sb.write(async ({ q, emit }) => {
      const intent = await loadObject<SetupIntent>(q, 'setup_intent', call.id, { lock: true });
      checkClientSecret(intent, call);
      if (intent.status === 'succeeded' || intent.status === 'canceled') {
        throw stripeErrors.unexpectedState(
          'setup_intent_unexpected_state',
          `You cannot confirm this SetupIntent because it has a status of ${intent.status}.`,
        );
      }
      const method = await methodFor(sb, q, params, intent);
      const decline = setupDecline(method._behaviour);
      if (decline) {
        await fail(q, emit, intent, { type: 'card_error', ...decline, payment_method: publicView(method) });
        return { intent, decline: { ...decline, method } };
      }
      if (method._behaviour === 'authenticate') {
        const page = new URL(`${sb.baseUrl}/3ds/${intent.id}`);
        page.searchParams.set('client_secret', intent.client_secret);
        if (returnUrl) page.searchParams.set('return_url', returnUrl);
        Object.assign(intent, {
          status: 'requires_action',
          payment_method: method.id,
          last_setup_error: null,
          next_action: {
            type: 'redirect_to_url',
            redirect_to_url: { url: page.href, return_url: returnUrl ?? null },
          },
        });
        await saveObject(q, intent);
        emit('setup_intent.requires_action', intent);
        return { intent };
      }
      await succeed(q, emit, intent, method);
      return { intent };
    });
    if (outcome.decline) {
      const { method, ...decline } = outcome.decline;
      throw new StripeApiError(402, {
        type: 'card_error',
        ...decline,
        doc_url: 'https://docs.stripe.com/error-codes/card-declined',
        payment_method: publicView(method),
        setup_intent: publicView(outcome.intent),
      });
    }
    return outcome.intent;
  };
}

/** The simulated 3-D Secure page's answer: the intent moves on to `succeeded` or back to the start. */
export function resolveAuthentication(sb: StripeSandbox, id: string, clientSecret: string, passed: boolean) {
  return sb.write(async ({ q, emit }) => {
    const intent = await loadObject<SetupIntent>(q, 'setup_intent', id, { lock: true });
    if (clientSecret !== intent.client_secret) throw stripeErrors.clientSecretMismatch();
    if (intent.status !== 'requires_action' || !intent.payment_method) {
      throw stripeErrors.unexpectedState(
        'setup_intent_unexpected_state',
        `This SetupIntent has a status of ${intent.status}; there is no authentication to complete.`,
      );
    }
    const method = await loadObject<PaymentMethod>(q, 'payment_method', intent.payment_method, {
      lock: true,
    });
    if (passed) await succeed(q, emit, intent, method);
    else
      await fail(q, emit, intent, {
        type: 'invalid_request_error',
        code: 'setup_intent_authentication_failure',
        message:
          'The latest attempt to set up the payment method has failed because authentication failed. Provide a new payment method to attempt to fulfill this SetupIntent again.',
        payment_method: publicView(method),
      });
    return intent;
  });
}
