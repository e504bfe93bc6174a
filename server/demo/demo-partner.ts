import { run } from '../db/sql.ts';
import type { Hub } from '../hub.ts';
import { Partner } from '../modules/partners/partner.entity.ts';
import { issuePartnerToken } from '../modules/partners/partner-tokens.service.ts';
import { createPartner } from '../modules/partners/partners.service.ts';
import { partnerWebhookSecret, primaryDestinationOf } from '../modules/webhooks/destinations.service.ts';

export const DEMO_PARTNER_NAME = 'Partner Hub demo';
/** Demo tokens kept live: more than the hub processes that run the demo at once. */
const DEMO_TOKENS_KEPT = 5;

export interface DemoPartner {
  id: string;
  token: string;
  webhookSecret: string;
}

/**
 * The demo plays a partner backend: one partner, created on first use, whose webhook and
 * redirect URLs point back at /demo. It is found by its `is_demo` flag, never by name (names
 * are the partners' to change). A fresh API token is issued per process (tokens are only
 * stored hashed), and the webhook secret is read back to verify deliveries like a partner would.
 */
export async function ensureDemoPartner(deps: Hub): Promise<DemoPartner> {
  const base = `${deps.config.publicUrl}/demo`;
  return deps.orm.em.fork().transactional(async (em) => {
    // Hub processes sharing a database create one demo partner between them.
    await em.execute(`select pg_advisory_xact_lock(hashtextextended('partner-hub:demo-partner', 0))`);
    let partner = await em.findOne(Partner, { isDemo: true });
    if (!partner) {
      partner = (
        await createPartner(
          em,
          { secretBox: deps.secretBox, urlPolicy: deps.urlPolicy },
          { name: DEMO_PARTNER_NAME, redirectUrl: `${base}/callback`, webhookUrl: `${base}/webhooks` },
          { type: 'system', id: 'demo' },
        )
      ).partner;
      partner.isDemo = true;
    }
    // Kept in step with PUBLIC_URL, which may change between runs.
    const primary = await primaryDestinationOf(em, partner.id);
    partner.brandName = 'Acme Messaging (demo)';
    primary.url = `${base}/webhooks`;
    partner.partnerRedirectUrl = `${base}/callback`;
    partner.allowedRedirectUrls = [`${base}/callback`, `${base}/onboarded`];
    const { token } = issuePartnerToken(em, partner);
    await em.flush();
    // One token per process start: keep the newest few (one per running process), so restarts
    // do not pile up credentials that never expire.
    await run(
      em,
      `update partner_tokens set revoked_at = now()
        where partner_id = ? and revoked_at is null
          and id not in (select id from partner_tokens where partner_id = ? and revoked_at is null
                          order by created_at desc, id desc limit ${DEMO_TOKENS_KEPT})`,
      [partner.id, partner.id],
    );
    return { id: partner.id, token, webhookSecret: partnerWebhookSecret(deps.secretBox, primary) };
  });
}
