import { asDate, type Query } from './db.ts';

export interface Subscription {
  wabaId: string;
  appId: string;
  overrideCallbackUri: string | null;
  createdAt: Date;
}

/** Subscribing again replaces the override, as Meta does (one subscription per app and WABA). */
export async function subscribeApp(
  q: Query,
  wabaId: string,
  appId: string,
  overrideCallbackUri: string | null,
  now: Date,
): Promise<void> {
  await q(
    `insert into sandbox.subscriptions (waba_id, app_id, override_callback_uri, created_at) values (?, ?, ?, ?)
     on conflict (waba_id, app_id) do update set override_callback_uri = excluded.override_callback_uri`,
    [wabaId, appId, overrideCallbackUri, now],
  );
}

export async function unsubscribeApp(q: Query, wabaId: string, appId: string): Promise<boolean> {
  const rows = await q(
    'delete from sandbox.subscriptions where waba_id = ? and app_id = ? returning waba_id',
    [wabaId, appId],
  );
  return rows.length > 0;
}

export async function findSubscription(
  q: Query,
  wabaId: string,
  appId: string,
): Promise<Subscription | undefined> {
  const rows = await q(
    'select waba_id, app_id, override_callback_uri, created_at from sandbox.subscriptions where waba_id = ? and app_id = ?',
    [wabaId, appId],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    wabaId: String(r.waba_id),
    appId: String(r.app_id),
    overrideCallbackUri: (r.override_callback_uri as string | null) ?? null,
    createdAt: asDate(r.created_at),
  };
}
