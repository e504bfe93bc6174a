import { defineEntity, p } from '@mikro-orm/core';
import { BILLING_STATUSES, CLIENT_STATUSES, PAYMENT_MODELS } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';
import { Partner } from '../partners/partner.entity.ts';

export const ClientSchema = defineEntity({
  name: 'Client',
  tableName: 'clients',
  properties: {
    id: idProperty('client'),
    /** The partner the client signed up through. */
    partner: () => p.manyToOne(Partner),
    name: p.string().length(200).nullable(),
    /** The partner's own id for this client (an onboarding session's `tenant_id`). */
    externalId: p.string().length(200).nullable(),
    /** Free text the partner attaches (`partner` URL parameter, 360dialog's `partner_payload`). */
    partnerPayload: p.text().nullable(),
    status: p.enum(CLIENT_STATUSES).onCreate(() => 'active' as const),
    /** The partner's payment model when the client signed up: what the client agreed to. */
    paymentModel: p.enum(PAYMENT_MODELS).default('partner'),
    /** The terms and price list the client accepted, and when (docs/billing.md). */
    termsVersion: p.integer().nullable(),
    priceListVersion: p.integer().nullable(),
    termsAcceptedAt: p.datetime().nullable(),
    /** Direct Payment: the payment provider's customer and the card on file (ids only, never card data). */
    billingCustomerId: p.string().length(255).nullable(),
    setupIntentId: p.string().length(255).nullable(),
    paymentMethodId: p.string().length(255).nullable(),
    /** `visa •••• 4242, 12/34`: what the client hub shows of the card. */
    paymentMethodLabel: p.string().length(100).nullable(),
    billingStatus: p.enum(BILLING_STATUSES).default('ok'),
    /** When the first unpaid statement's payment failed; the grace period runs from here. */
    pastDueSince: p.datetime().nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  uniques: [{ properties: ['partner', 'externalId'] }],
  indexes: [
    { properties: ['partner', 'id'] },
    { properties: ['partner', 'status', 'id'] },
    // `?created_after=`/`?created_before=`: the matching ids come from this index alone (see clients.service.ts).
    { properties: ['partner', 'createdAt', 'id'] },
    // `?q=`: a case-insensitive prefix of the name or external id is a range scan here (clients.service.ts).
    {
      name: 'clients_name_search_index',
      expression:
        'create index "clients_name_search_index" on "clients" ("partner_id", lower("name") text_pattern_ops)',
    },
    {
      name: 'clients_external_id_search_index',
      expression:
        'create index "clients_external_id_search_index" on "clients" ("partner_id", lower("external_id") text_pattern_ops)',
    },
    // Stripe's webhooks and the sandbox's retention look clients up by their customer.
    {
      name: 'clients_billing_customer_id_index',
      properties: ['billingCustomerId'],
      where: 'billing_customer_id is not null',
    },
  ],
});

export class Client extends ClientSchema.class {}
ClientSchema.setClass(Client);
