import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { AppError } from '../../errors.ts';
import { assertAcceptableUrl, type UrlPolicy } from '../../security/url-policy.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { Permission } from '../permissions/permission.entity.ts';
import { permissionWebhookHeadersContext } from '../webhooks/channel-webhook.ts';
import { assertAllowedUrl, BlockedTargetError } from '../webhooks/delivery/ssrf-guard.ts';

/** Headers the hub sets itself (signatures, framing): a partner cannot override them. */
const RESERVED_HEADER =
  /^(content-type|content-length|host|connection|transfer-encoding|webhook-.*|x-hub-.*)$/i;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

export interface ChannelWebhookConfig {
  url: string | null;
  /** Header names only: values may be credentials and are never read back. */
  header_names: string[];
}

async function currentGrant(em: EntityManager, permissionId: string): Promise<Permission> {
  const grant = await em.findOne(Permission, { id: permissionId, revokedAt: null });
  if (!grant) throw new AppError('unauthorized', 'The API key no longer has access to this channel');
  return grant;
}

export async function getChannelWebhook(
  em: EntityManager,
  box: SecretBox,
  permissionId: string,
): Promise<ChannelWebhookConfig> {
  const grant = await currentGrant(em, permissionId);
  return viewOf(box, grant);
}

/** Sets where this partner receives the channel's inbound traffic, after the SSRF check. */
export async function setChannelWebhook(
  em: EntityManager,
  deps: { secretBox: SecretBox; urlPolicy: UrlPolicy; requireHttps: boolean },
  permissionId: string,
  input: { url: string | null; headers?: Record<string, string> | undefined },
  actor: Actor,
): Promise<ChannelWebhookConfig> {
  const grant = await currentGrant(em, permissionId);
  let url: string | null = null;
  if (input.url !== null) {
    url = assertAcceptableUrl(input.url, 'url', deps.urlPolicy);
    try {
      assertAllowedUrl(url, {
        requireHttps: deps.requireHttps,
        allowLoopback: deps.urlPolicy.allowLocalhost,
      });
    } catch (err) {
      if (!(err instanceof BlockedTargetError)) throw err;
      throw new AppError('validation_failed', `url is not allowed: ${err.message}`, { field: 'url' });
    }
  }
  const headers = input.headers ?? {};
  for (const name of Object.keys(headers)) {
    if (!HEADER_NAME.test(name) || RESERVED_HEADER.test(name)) {
      throw new AppError('validation_failed', `headers: ${JSON.stringify(name)} cannot be set`, {
        field: `headers.${name}`,
      });
    }
  }
  grant.webhookUrl = url;
  grant.webhookHeadersSealed =
    url && Object.keys(headers).length > 0
      ? deps.secretBox.encrypt(JSON.stringify(headers), permissionWebhookHeadersContext(grant.id))
      : null;
  recordAudit(em, actor, {
    partner: grant.partner,
    action: 'channel_webhook.updated',
    target: { type: 'permission', id: grant.id },
    details: { channel_id: grant.channel.id, url, header_names: Object.keys(headers) },
  });
  await em.flush();
  return viewOf(deps.secretBox, grant);
}

function viewOf(box: SecretBox, grant: Permission): ChannelWebhookConfig {
  const headers = grant.webhookHeadersSealed
    ? (JSON.parse(
        box.decrypt(grant.webhookHeadersSealed, permissionWebhookHeadersContext(grant.id)),
      ) as Record<string, string>)
    : {};
  return { url: grant.webhookUrl ?? null, header_names: Object.keys(headers) };
}
