import { WorkerHeartbeatSchema } from '../jobs/worker-heartbeat.entity.ts';
import { LinkedDeviceAuthSchema } from '../linked-devices/linked-device-auth.entity.ts';
import { LinkedDeviceCommandSchema } from '../linked-devices/linked-device-command.entity.ts';
import { LinkedDeviceSessionSchema } from '../linked-devices/linked-device-session.entity.ts';
import { ChannelApiKeySchema } from '../modules/api-keys/channel-api-key.entity.ts';
import { AuditLogSchema } from '../modules/audit/audit-log.entity.ts';
import { BillingTermsSchema } from '../modules/billing/billing-terms.entity.ts';
import { PriceListSchema } from '../modules/billing/price-list.entity.ts';
import { StatementSchema } from '../modules/billing/statement.entity.ts';
import { ChannelSchema } from '../modules/channels/channel.entity.ts';
import { ClientSchema } from '../modules/clients/client.entity.ts';
import { ClientUserSchema } from '../modules/clients/client-user.entity.ts';
import { ConsoleInviteSchema } from '../modules/console-users/console-invite.entity.ts';
import { ConsoleUserSchema } from '../modules/console-users/console-user.entity.ts';
import { IdempotencyKeySchema } from '../modules/idempotency/idempotency-key.entity.ts';
import { MetaWebhookSchema } from '../modules/inbound/meta-webhook.entity.ts';
import { ChannelMessageSchema } from '../modules/messages/channel-message.entity.ts';
import { OnboardingSessionSchema } from '../modules/onboarding/onboarding-session.entity.ts';
import { PartnerSchema } from '../modules/partners/partner.entity.ts';
import { PartnerTokenSchema } from '../modules/partners/partner-token.entity.ts';
import { PermissionSchema } from '../modules/permissions/permission.entity.ts';
import { PortalSessionSchema } from '../modules/portal/portal-session.entity.ts';
import { ClientWabaSchema } from '../modules/signup/client-waba.entity.ts';
import { SignupSessionEventSchema } from '../modules/signup/signup-session-event.entity.ts';
import { TemplateSchema } from '../modules/templates/template.entity.ts';
import { TemplateSyncSchema } from '../modules/templates/template-sync.entity.ts';
import { UsageDaySchema } from '../modules/usage/usage-day.entity.ts';
import { UsageMessageSchema } from '../modules/usage/usage-message.entity.ts';
import { WebhookAttemptSchema } from '../modules/webhooks/webhook-attempt.entity.ts';
import { WebhookDeliverySchema } from '../modules/webhooks/webhook-delivery.entity.ts';
import { WebhookDestinationSchema } from '../modules/webhooks/webhook-destination.entity.ts';
import { WebhookEventSchema } from '../modules/webhooks/webhook-event.entity.ts';

/** Every entity the ORM knows; migrations are generated from this list. */
export const entities = [
  PartnerSchema,
  PartnerTokenSchema,
  ClientSchema,
  ClientUserSchema,
  ChannelSchema,
  PermissionSchema,
  ChannelApiKeySchema,
  OnboardingSessionSchema,
  WebhookEventSchema,
  WebhookDestinationSchema,
  WebhookDeliverySchema,
  WebhookAttemptSchema,
  AuditLogSchema,
  IdempotencyKeySchema,
  MetaWebhookSchema,
  WorkerHeartbeatSchema,
  SignupSessionEventSchema,
  ClientWabaSchema,
  UsageDaySchema,
  UsageMessageSchema,
  TemplateSchema,
  TemplateSyncSchema,
  ChannelMessageSchema,
  PriceListSchema,
  BillingTermsSchema,
  StatementSchema,
  ConsoleUserSchema,
  ConsoleInviteSchema,
  PortalSessionSchema,
  LinkedDeviceAuthSchema,
  LinkedDeviceSessionSchema,
  LinkedDeviceCommandSchema,
];
