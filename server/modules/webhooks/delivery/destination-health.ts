import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../../clock.ts';
import { recordEvent } from '../events.service.ts';
import type { WebhookDelivery } from '../webhook-delivery.entity.ts';

/** Health state of a destination, whichever entity keeps it. */
interface Health {
  id: string;
  failingSince: Date | null;
  disabledAt: Date | null;
  setFailingSince(at: Date | null): void;
  disable(at: Date, reason: string): void;
}

/** The primary webhook keeps its health on the partner, extra endpoints on themselves; channel webhooks have none. */
function healthOf(delivery: WebhookDelivery): Health | null {
  const { partner, endpoint } = delivery;
  if (delivery.destination === 'partner_webhook') {
    return {
      id: 'primary',
      failingSince: partner.webhookFailingSince ?? null,
      disabledAt: partner.webhookDisabledAt ?? null,
      setFailingSince: (at) => {
        partner.webhookFailingSince = at;
      },
      disable: (at, reason) => {
        partner.webhookDisabledAt = at;
        partner.webhookDisabledReason = reason;
      },
    };
  }
  if (delivery.destination === 'endpoint' && endpoint) {
    return {
      id: endpoint.id,
      failingSince: endpoint.failingSince ?? null,
      disabledAt: endpoint.disabledAt ?? null,
      setFailingSince: (at) => {
        endpoint.failingSince = at;
      },
      disable: (at, reason) => {
        endpoint.disabledAt = at;
        endpoint.disabledReason = reason;
      },
    };
  }
  return null;
}

export function isDisabled(delivery: WebhookDelivery): boolean {
  if (delivery.destination === 'endpoint' && !delivery.endpoint) return true;
  return !!healthOf(delivery)?.disabledAt;
}

export function markHealthy(delivery: WebhookDelivery): void {
  healthOf(delivery)?.setFailingSince(null);
}

/**
 * Notes a failure; disables the destination on 410 Gone or after failing without a single
 * success for `disableAfterMs`, and records `webhook_endpoint.disabled`.
 */
export async function markFailing(
  em: EntityManager,
  clock: Clock,
  delivery: WebhookDelivery,
  options: { gone: boolean; disableAfterMs: number },
): Promise<void> {
  const health = healthOf(delivery);
  if (!health) return;
  const now = clock.now();
  const failingSince = health.failingSince ?? now;
  health.setFailingSince(failingSince);
  if (health.disabledAt) return;
  const reason = options.gone
    ? 'the endpoint answered 410 Gone'
    : now.getTime() - failingSince.getTime() >= options.disableAfterMs
      ? `failing continuously since ${failingSince.toISOString()}`
      : null;
  if (!reason) return;
  health.disable(now, reason);
  await recordEvent(em, clock, {
    partner: delivery.partner,
    type: 'webhook_endpoint.disabled',
    data: { endpoint_id: health.id, url: delivery.url, reason },
  });
}
