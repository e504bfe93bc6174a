import { defineEntity, p } from '@mikro-orm/core';
import { PAYMENT_MODELS } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';

export const PartnerSchema = defineEntity({
  name: 'Partner',
  tableName: 'partners',
  properties: {
    id: idProperty('partner'),
    name: p.string().length(200),
    brandName: p.string().length(200).nullable(),
    logoUrl: p.text().nullable(),
    partnerRedirectUrl: p.text().nullable(),
    /** Exact-match allowlist for per-request redirect URLs. */
    allowedRedirectUrls: p.json<string[]>().onCreate(() => []),
    /**
     * The primary webhook destination's URL, read with the partner so that a partner view
     * costs no second query. Read-only: the URL lives on the destination row.
     */
    webhookUrl: p
      .string()
      .formula(
        (cols) =>
          `(select d.url from webhook_destinations d where d.partner_id = ${cols.id} and d.kind = 'partner_webhook')`,
      )
      .nullable(),
    /**
     * The permission page opens only from links whose `io_signature` (version 2) covers every
     * parameter the visitor could otherwise choose; see hosted/signed-visit.ts.
     */
    requireSignedLinks: p.boolean().default(false),
    /**
     * The partner the sandbox's `/demo` plays. Set only by the demo when it creates its partner,
     * never from a request, so no partner can become the demo by renaming itself.
     */
    isDemo: p.boolean().default(false).hidden(),
    /** Who pays for the messaging of the partner's clients; set by the operator (docs/billing.md). */
    paymentModel: p.enum(PAYMENT_MODELS).default('partner'),
    /** The payment provider's customer the partner's statements are invoiced to (Partner Payment). */
    billingCustomerId: p.string().length(255).nullable().hidden(),
    /**
     * Set by an operator: the partner's tokens and console users are refused (`partner_suspended`)
     * until it is cleared; its clients' channel API keys keep working (docs/operations.md).
     */
    suspendedAt: p.datetime().nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  uniques: [{ name: 'partners_demo_unique', properties: ['isDemo'], where: 'is_demo' }],
});

export class Partner extends PartnerSchema.class {}
PartnerSchema.setClass(Partner);
