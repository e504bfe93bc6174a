import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { AppError } from '../../errors.ts';
import { headerNameProblem, headerValueProblem, validHeaders } from '../../http/header-fields.ts';
import { assertAllowedUrl, BlockedTargetError, targetPolicyOf } from '../../security/ssrf-guard.ts';
import type { UrlPolicy } from '../../security/url-policy.ts';
import { assertWebhookTarget } from '../../security/webhook-host.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { Permission } from '../permissions/permission.entity.ts';
import { SEALED, seal } from '../secrets/sealed-columns.ts';
import { extraHeaders } from '../webhooks/destination-secrets.ts';
import {
  CHANNEL_WEBHOOK_EVENT_TYPES,
  channelDestinationOf,
  ownerOf,
  removeDestination,
  sealedOf,
  secretsForChannelDestination,
} from '../webhooks/destinations.service.ts';
import { WebhookDestination } from '../webhooks/webhook-destination.entity.ts';

export interface ChannelWebhookConfig {
  url: string | null;
  /** Header names only: values may be credentials and are never read back. */
  header_names: string[];
}

async function currentGrant(em: EntityManager, permissionId: string): Promise<Permission> {
  const grant = await em.findOne(
    Permission,
    { id: permissionId, revokedAt: null },
    { populate: ['channel'] },
  );
  if (!grant) throw new AppError('unauthorized', 'The API key no longer has access to this channel');
  return grant;
}

export async function getChannelWebhook(
  em: EntityManager,
  box: SecretBox,
  permissionId: string,
): Promise<ChannelWebhookConfig> {
  await currentGrant(em, permissionId);
  return viewOf(box, await channelDestinationOf(em, permissionId));
}

/** Sets where this partner receives the channel's inbound traffic, after the SSRF check. */
export async function setChannelWebhook(
  em: EntityManager,
  deps: { secretBox: SecretBox; urlPolicy: UrlPolicy; clock: Clock },
  permissionId: string,
  input: { url: string | null; headers?: Record<string, string> | undefined },
  actor: Actor,
): Promise<ChannelWebhookConfig> {
  const grant = await currentGrant(em, permissionId);
  let url: string | null = null;
  if (input.url !== null) {
    url = await assertWebhookTarget(input.url, 'url', deps.urlPolicy);
    try {
      assertAllowedUrl(url, targetPolicyOf(deps.urlPolicy));
    } catch (err) {
      if (!(err instanceof BlockedTargetError)) throw err;
      throw new AppError('validation_failed', `url is not allowed: ${err.category}`, {
        field: 'url',
        category: err.category,
      });
    }
  }
  const headers = checkedHeaders(input.headers ?? {});
  const destination = await em.transactional(async (tx) => {
    let existing = await channelDestinationOf(tx, grant.id);
    if (!url) {
      if (existing) await removeDestination(tx, existing, deps.clock.now());
      existing = null;
    } else {
      existing ??= tx.create(WebhookDestination, {
        partner: grant.partner,
        kind: 'channel_webhook',
        channel: grant.channel,
        permission: grant,
        eventTypes: CHANNEL_WEBHOOK_EVENT_TYPES,
        ...(await secretsForChannelDestination(tx, grant.partner.id)),
      });
      // Setting the webhook again is how a partner revives one that was disabled.
      Object.assign(existing, {
        url,
        disabledAt: null,
        disabledReason: null,
        failingSince: null,
        consecutiveFailures: 0,
        circuitOpenUntil: null,
      });
      existing.headersSealed =
        Object.keys(headers).length > 0
          ? seal(deps.secretBox, SEALED.destinationHeaders, ownerOf(existing), JSON.stringify(headers))
          : null;
    }
    recordAudit(tx, actor, {
      partner: grant.partner,
      action: 'channel_webhook.updated',
      target: { type: 'permission', id: grant.id },
      details: { channel_id: grant.channel.id, url, header_names: Object.keys(headers) },
    });
    return existing;
  });
  return viewOf(deps.secretBox, destination);
}

/** The request schema checks too; this keeps the service safe for any caller. */
function checkedHeaders(input: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(input)) {
    const problem = headerNameProblem(name) ?? headerValueProblem(value);
    if (problem) {
      throw new AppError('validation_failed', `headers: ${JSON.stringify(name)} ${problem}`, {
        field: `headers.${name}`,
      });
    }
  }
  return validHeaders(input);
}

function viewOf(box: SecretBox, destination: WebhookDestination | null): ChannelWebhookConfig {
  if (!destination) return { url: null, header_names: [] };
  return {
    url: destination.url ?? null,
    header_names: Object.keys(extraHeaders(box, sealedOf(destination))),
  };
}
