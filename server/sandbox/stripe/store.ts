import type { Query } from '../store/db.ts';
import { stripeErrors } from './errors.ts';

/** A Stripe object as stored: its JSON, plus sandbox-only fields whose names start with `_`. */
export type StripeObject = Record<string, unknown> & { id: string; object: string };

/** The name Stripe uses in "No such …" for each object type. */
const NOUNS: Record<string, string> = {
  customer: 'customer',
  setup_intent: 'setupintent',
  payment_method: 'PaymentMethod',
  invoice: 'invoice',
  invoiceitem: 'invoiceitem',
};

export async function insertObject(q: Query, obj: StripeObject, createdAt: Date): Promise<void> {
  const customer = typeof obj.customer === 'string' ? obj.customer : null;
  await q(
    `insert into sandbox.stripe_objects (id, type, customer, data, created_at) values (?, ?, ?, ?::jsonb, ?)`,
    [obj.id, obj.object, customer, JSON.stringify(obj), createdAt],
  );
}

export async function saveObject(q: Query, obj: StripeObject): Promise<void> {
  const customer = typeof obj.customer === 'string' ? obj.customer : null;
  await q(`update sandbox.stripe_objects set data = ?::jsonb, customer = ? where id = ?`, [
    JSON.stringify(obj),
    customer,
    obj.id,
  ]);
}

/** The object, or Stripe's 404; `lock` holds the row until the transaction ends. */
export async function loadObject<T extends StripeObject = StripeObject>(
  q: Query,
  type: string,
  id: string,
  { lock = false, param = 'id' } = {},
): Promise<T> {
  const rows = await q<{ data: T }>(
    `select data from sandbox.stripe_objects where id = ? and type = ?${lock ? ' for update' : ''}`,
    [id, type],
  );
  if (!rows[0]) throw stripeErrors.noSuch(NOUNS[type] ?? type, id, param);
  return rows[0].data;
}

/** Drops the sandbox's own fields (`_behaviour`…) from everything that leaves it. */
export function publicView<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v) => (key.startsWith('_') ? undefined : v)));
}
