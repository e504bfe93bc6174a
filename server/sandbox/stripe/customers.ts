import type { StripeSandbox } from './context.ts';
import { stripeId } from './context.ts';
import type { Call } from './endpoint.ts';
import { stripeErrors } from './errors.ts';
import { type Customer, newCustomer, type PaymentMethod } from './objects.ts';
import { allowOnly, metadataUpdate, optionalHash, optionalString, type Params } from './params.ts';
import { insertObject, loadObject, saveObject } from './store.ts';

const FIELDS = ['email', 'name', 'description', 'phone', 'metadata', 'invoice_settings', 'expand'];

function contactFields(params: Params): Partial<Customer> {
  const fields: Partial<Customer> = {};
  for (const name of ['email', 'name', 'description', 'phone'] as const) {
    const value = optionalString(params, name);
    // An empty string clears a field on Stripe.
    if (value !== undefined) (fields as Record<string, unknown>)[name] = value === '' ? null : value;
  }
  if (fields.email && !/^[^@\s]+@[^@\s]+$/.test(fields.email)) {
    throw stripeErrors.invalidParam('email', `Invalid email address: ${fields.email}`);
  }
  return fields;
}

export function createCustomer(sb: StripeSandbox) {
  return ({ params }: Call) => {
    allowOnly(params, FIELDS);
    const customer = newCustomer(stripeId('cus'), sb.now(), {
      ...contactFields(params),
      metadata: metadataUpdate(params),
    });
    return sb.write(async ({ q }) => {
      if (optionalHash(params, 'invoice_settings')) {
        throw stripeErrors.invalidParam(
          'invoice_settings',
          'Set invoice_settings after attaching a payment method.',
        );
      }
      await insertObject(q, customer, sb.state.deps.clock.now());
      return customer;
    });
  };
}

export function retrieveCustomer(sb: StripeSandbox) {
  return ({ id }: Call) => loadObject(sb.state.query, 'customer', id);
}

export function updateCustomer(sb: StripeSandbox) {
  return ({ params, id }: Call) => {
    allowOnly(params, FIELDS);
    return sb.write(async ({ q, emit }) => {
      const customer = await loadObject<Customer>(q, 'customer', id, { lock: true });
      Object.assign(customer, contactFields(params));
      customer.metadata = metadataUpdate(params, customer.metadata);
      const settings = optionalHash(params, 'invoice_settings');
      if (settings) {
        allowOnly(settings, ['default_payment_method']);
        const param = 'invoice_settings[default_payment_method]';
        const pmId = optionalString(settings, 'default_payment_method', param);
        if (pmId) {
          const pm = await loadObject<PaymentMethod>(q, 'payment_method', pmId, { param }).catch(() => null);
          if (pm?.customer !== customer.id) {
            throw stripeErrors.invalidParam(
              param,
              `The customer does not have a payment method with the ID ${pmId}. The payment method must be attached to the customer.`,
            );
          }
        }
        if (pmId !== undefined) customer.invoice_settings.default_payment_method = pmId || null;
      }
      await saveObject(q, customer);
      emit('customer.updated', customer);
      return customer;
    });
  };
}
