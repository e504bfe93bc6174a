import { api, useApiMutation } from '../api.ts';
import { useCan } from '../session.tsx';
import { Button, FormError } from '../ui/form.tsx';
import { ATTEMPTS_KEY, DELIVERIES_KEY, DELIVERY_KEY, type Delivery } from './webhooks-common.tsx';

/**
 * Sends a delivery again now, once (the retry schedule is untouched), and says how it went.
 * Hidden from viewers; the server refuses them anyway.
 */
export function ResendButton({ delivery }: { delivery: Delivery }) {
  const can = useCan();
  const resend = useApiMutation(
    () => api.webhooks.deliveries.resend.mutate({ delivery_id: delivery.id }),
    [DELIVERIES_KEY, DELIVERY_KEY, ATTEMPTS_KEY],
  );
  if (!can.write) return null;
  const attempt = resend.data?.attempt;
  return (
    <span className="resend">
      <Button
        variant="secondary"
        busy={resend.isPending}
        aria-label={`Resend delivery ${delivery.id}`}
        onClick={() => resend.mutate(undefined)}
      >
        Resend
      </Button>
      <span role="status" className="resend-result">
        {resend.data
          ? attempt
            ? `Resent: ${attempt.response_status ?? attempt.error ?? 'no answer'}, ${resend.data.delivery.status}`
            : 'Not sent: the endpoint is disabled or gone'
          : ''}
      </span>
      <FormError error={resend.error} />
    </span>
  );
}
