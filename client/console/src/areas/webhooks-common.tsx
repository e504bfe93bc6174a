import { api, type Outputs, useApiQuery } from '../api.ts';
import { Badge, Time } from '../ui/format.tsx';

export type Endpoint = Outputs['webhooks']['endpoints']['list']['webhook_endpoints'][number];
export type Delivery = Outputs['webhooks']['deliveries']['get'];
export type Attempt = Outputs['webhooks']['deliveries']['attempts']['attempts'][number];

/** Query keys by procedure, so a mutation refreshes every page showing what it changed. */
export const ENDPOINTS_KEY = ['webhooks.endpoints.list'] as const;
export const DELIVERIES_KEY = ['webhooks.deliveries.list'] as const;
export const DELIVERY_KEY = ['webhooks.deliveries.get'] as const;
export const ATTEMPTS_KEY = ['webhooks.deliveries.attempts'] as const;

export function useEndpoints() {
  return useApiQuery(ENDPOINTS_KEY, () => api.webhooks.endpoints.list.query({}));
}

export type Health = 'disabled' | 'failing' | 'enabled';

/** Disabled outranks failing: a disabled endpoint gets nothing, a failing one is still retried. */
export function healthOf(e: Endpoint): Health {
  if (e.status === 'disabled') return 'disabled';
  return e.failing_since ? 'failing' : 'enabled';
}

/** The state in words as well as colour: a badge, then since when and why. */
export function EndpointHealth({ endpoint }: { endpoint: Endpoint }) {
  const health = healthOf(endpoint);
  return (
    <span className="endpoint-health">
      <Badge value={health} />
      {health === 'disabled' ? (
        <span className="health-detail">
          Nothing is sent: {endpoint.disabled_reason ?? 'disabled'}. Enable it, then recover what it missed.
        </span>
      ) : null}
      {health === 'failing' ? (
        <span className="health-detail">
          Failing since <Time value={endpoint.failing_since} />; deliveries are being retried.
        </span>
      ) : null}
    </span>
  );
}

/** `<input type="datetime-local">` speaks the browser's local time; the API speaks UTC. */
export function isoFromLocal(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function localFromDate(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function endpointLabel(endpoints: readonly Endpoint[] | undefined, id: string | null): string {
  if (!id) return 'channel webhook';
  if (id === 'primary') return 'Primary webhook';
  const endpoint = endpoints?.find((e) => e.id === id);
  return endpoint?.description ?? id;
}
