import type { EntityManager } from '@mikro-orm/postgresql';
import type { PartnerUpdate, PartnerView } from '../../../shared/schemas/partner.ts';
import type { Clock } from '../../clock.ts';
import { assertAcceptableUrl, type UrlPolicy } from '../../security/url-policy.ts';
import { assertWebhookTarget } from '../../security/webhook-host.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { primaryDestinationOf } from '../webhooks/destinations.service.ts';
import { recordEvent } from '../webhooks/record-events.ts';
import type { Partner } from './partner.entity.ts';
import { toPartnerView } from './partner-view.ts';

type Settings = Pick<
  Partner,
  'name' | 'brandName' | 'logoUrl' | 'partnerRedirectUrl' | 'allowedRedirectUrls' | 'requireSignedLinks'
> & {
  /** Kept on the partner's primary webhook destination. */
  webhookUrl: string | null;
};

const FIELD_NAMES: Record<keyof Settings, string> = {
  name: 'name',
  brandName: 'brand_name',
  logoUrl: 'logo_url',
  webhookUrl: 'webhook_url',
  partnerRedirectUrl: 'partner_redirect_url',
  allowedRedirectUrls: 'allowed_redirect_urls',
  requireSignedLinks: 'require_signed_links',
};

/** Validates every URL and normalises it (WHATWG serialisation), so exact matching is predictable. */
async function toSettings(input: PartnerUpdate, policy: UrlPolicy): Promise<Partial<Settings>> {
  const url = (value: string | null | undefined, field: string) =>
    value === null || value === undefined ? value : assertAcceptableUrl(value, field, policy);
  const settings: Partial<Settings> = {
    name: input.name,
    brandName: input.brand_name,
    logoUrl: url(input.logo_url, 'logo_url'),
    webhookUrl:
      input.webhook_url === null || input.webhook_url === undefined
        ? input.webhook_url
        : await assertWebhookTarget(input.webhook_url, 'webhook_url', policy),
    partnerRedirectUrl: url(input.partner_redirect_url, 'partner_redirect_url'),
    allowedRedirectUrls: input.allowed_redirect_urls && [
      ...new Set(input.allowed_redirect_urls.map((u, i) => url(u, `allowed_redirect_urls[${i}]`)!)),
    ],
    requireSignedLinks: input.require_signed_links,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as Partial<Settings>;
}

/**
 * PATCH semantics: only the fields sent change. A change is audited and announced with
 * `partner.updated` in the same transaction; a request that changes nothing writes nothing.
 * Answers the partner's view as it now stands.
 */
export async function updatePartnerSettings(
  em: EntityManager,
  deps: { clock: Clock; urlPolicy: UrlPolicy },
  partner: Partner,
  input: PartnerUpdate,
  actor: Actor,
): Promise<PartnerView> {
  const settings = await toSettings(input, deps.urlPolicy);
  const primary = await primaryDestinationOf(em, partner.id);
  const current: Settings = { ...partner, webhookUrl: primary.url ?? null };
  const changed = (Object.keys(settings) as (keyof Settings)[]).filter(
    (key) => JSON.stringify(current[key] ?? null) !== JSON.stringify(settings[key] ?? null),
  );
  if (changed.length === 0) return toPartnerView(partner, primary.url ?? null);
  const { webhookUrl, ...partnerFields } = Object.fromEntries(changed.map((key) => [key, settings[key]]));
  em.assign(partner, partnerFields);
  if (webhookUrl !== undefined) primary.url = webhookUrl as string | null;
  const changedFields = changed.map((key) => FIELD_NAMES[key]);
  await em.transactional(async (tx) => {
    recordAudit(tx, actor, {
      partner,
      action: 'partner.updated',
      target: { type: 'partner', id: partner.id },
      details: { changed_fields: changedFields },
    });
    await recordEvent(tx, deps.clock, {
      partnerId: partner.id,
      type: 'partner.updated',
      data: { partner_id: partner.id, changed_fields: changedFields },
    });
  });
  return toPartnerView(partner, primary.url ?? null);
}
