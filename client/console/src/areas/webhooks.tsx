import type { Area } from './index.tsx';
import { WebhookDeliveriesPage } from './webhooks-deliveries.tsx';
import { WebhookDeliveryPage } from './webhooks-delivery.tsx';
import { WebhookEndpointsPage } from './webhooks-endpoints.tsx';

/** The webhooks area: endpoints, the delivery log, and one delivery with its attempts. */
export const WEBHOOK_AREAS: Area[] = [
  {
    path: '/webhooks',
    component: WebhookEndpointsPage,
    nav: { label: 'Webhooks', group: 'Build' },
    audience: 'partner',
  },
  {
    path: '/webhooks/deliveries',
    component: WebhookDeliveriesPage,
    nav: { label: 'Webhook deliveries', group: 'Build' },
    audience: 'partner',
  },
  { path: '/webhooks/deliveries/:id', component: WebhookDeliveryPage, audience: 'partner' },
];
