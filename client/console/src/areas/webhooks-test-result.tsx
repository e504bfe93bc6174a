import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link } from 'wouter';
import { api, useApiQuery } from '../api.ts';
import { Badge } from '../ui/format.tsx';
import { Loading } from '../ui/states.tsx';
import { ATTEMPTS_KEY, DELIVERY_KEY, type Delivery, ENDPOINTS_KEY } from './webhooks-common.tsx';

const waiting = (d: Delivery) => d.status === 'pending' && d.attempt_count === 0;

/**
 * A test ping's fate: the worker delivers it a moment later, so the delivery is polled until
 * its first attempt is in, then that attempt's answer is shown.
 */
export function TestResult({ url, deliveryId }: { url: string; deliveryId: string }) {
  const delivery = useQuery({
    queryKey: [...DELIVERY_KEY, deliveryId],
    queryFn: () => api.webhooks.deliveries.get.query({ delivery_id: deliveryId }),
    refetchInterval: (q) => (q.state.data && !waiting(q.state.data) ? false : 1000),
  });
  const attempted = (delivery.data?.attempt_count ?? 0) > 0;
  const client = useQueryClient();
  // The attempt may have changed the endpoint's health (failing, or failing no more).
  useEffect(() => {
    if (attempted) void client.invalidateQueries({ queryKey: ENDPOINTS_KEY });
  }, [attempted, client]);
  const attempts = useApiQuery(
    [...ATTEMPTS_KEY, deliveryId, delivery.data?.attempt_count],
    () => api.webhooks.deliveries.attempts.query({ delivery_id: deliveryId, limit: 100 }),
    { enabled: attempted },
  );
  const last = attempts.data?.attempts.at(-1);
  return (
    <div className="test-result" role="status" aria-live="polite">
      <h3>Test event to {url}</h3>
      {!delivery.data || waiting(delivery.data) ? (
        <Loading label="Sent to the queue; waiting for the first attempt…" />
      ) : (
        <p>
          <Badge value={delivery.data.status} />{' '}
          {last ? (
            <>
              The endpoint answered {last.response_status ?? `nothing (${last.error ?? 'no answer'})`} in{' '}
              {last.duration_ms} ms.
            </>
          ) : (
            'Not sent: the endpoint is disabled.'
          )}{' '}
          <Link href={`/webhooks/deliveries/${deliveryId}`}>See the delivery</Link>
        </p>
      )}
    </div>
  );
}
