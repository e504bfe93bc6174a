import { defineEntity, p } from '@mikro-orm/core';
import { WEBHOOK_DESTINATIONS, WEBHOOK_FORMATS } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';
import { Channel } from '../channels/channel.entity.ts';
import { Partner } from '../partners/partner.entity.ts';
import { Permission } from '../permissions/permission.entity.ts';

/**
 * Everywhere a partner receives webhooks, one row each: its primary `webhook_url`
 * (`partner_webhook`), a channel's inbound webhook set with a channel key (`channel_webhook`,
 * tied to the grant), and extra endpoints (`endpoint`). Routing reads `channel` and
 * `eventTypes`; delivery reads only the URL, secrets, headers and health, whatever the kind.
 */
export const WebhookDestinationSchema = defineEntity({
  name: 'WebhookDestination',
  tableName: 'webhook_destinations',
  properties: {
    id: idProperty('webhookEndpoint'),
    partner: () => p.manyToOne(Partner).deleteRule('cascade'),
    kind: p.enum(WEBHOOK_DESTINATIONS),
    /** A channel webhook, or an endpoint scoped to a channel, receives only this channel's events. */
    channel: () => p.manyToOne(Channel).nullable().deleteRule('cascade'),
    /** An endpoint scoped to a WABA receives only the events of that WABA's channels. */
    wabaId: p.string().length(64).nullable(),
    /** The grant a channel webhook belongs to: revoking it removes the destination. */
    permission: () => p.manyToOne(Permission).nullable().unique().deleteRule('cascade'),
    /** Null only for a partner without a `webhook_url`: nothing is delivered there. */
    url: p.text().nullable(),
    description: p.string().length(200).nullable(),
    /** Event types delivered here; null means every lifecycle event (message events go only where listed or to channel webhooks). */
    eventTypes: p.json<string[]>().nullable(),
    secretSealed: p.text().hidden(),
    previousSecretSealed: p.text().hidden().nullable(),
    previousSecretExpiresAt: p.datetime().nullable(),
    /** The request's shape and signature headers (only endpoints choose; the others are Standard Webhooks). */
    format: p.enum(WEBHOOK_FORMATS).default('standard_webhooks'),
    /** Extra request headers (may hold credentials), sealed JSON. */
    headersSealed: p.text().hidden().nullable(),
    /** Set when deliveries started failing and no attempt has succeeded since. */
    failingSince: p.datetime().nullable(),
    disabledAt: p.datetime().nullable(),
    disabledReason: p.string().length(200).nullable(),
    /** Failed attempts in a row; the circuit opens when they pile up (see delivery/circuit.ts). */
    consecutiveFailures: p.integer().onCreate(() => 0),
    /** While open, only one probe is sent, at this time. */
    circuitOpenUntil: p.datetime().nullable(),
    /**
     * The graphile-worker job delivering for this destination now. Another job finding it set,
     * with that job still locked, leaves the work to it: one runner per destination.
     */
    runnerJobId: p.bigint('string').nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  indexes: [{ properties: ['partner', 'id'] }],
  uniques: [
    {
      name: 'webhook_destinations_primary_unique',
      properties: ['partner'],
      where: "kind = 'partner_webhook'",
    },
  ],
});

export class WebhookDestination extends WebhookDestinationSchema.class {}
WebhookDestinationSchema.setClass(WebhookDestination);
