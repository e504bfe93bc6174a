import { PortalLinkCreateSchema, PortalLinkSchema } from '../../../shared/schemas/portal.ts';
import { mintPortalLink } from '../../modules/portal/portal-links.service.ts';
import { defineOperation } from '../operation.ts';
import { ClientPath } from './params.ts';

/** The embeddable client portal's link (docs/embedding.md): `clients.portalLink` over tRPC. */
export const portalLinkOperations = {
  portalLink: defineOperation({
    operationId: 'createPortalLink',
    method: 'post',
    path: '/partners/:partner_id/clients/:client_id/portal_links',
    tag: 'Clients',
    summary: "Mint a one-time link to the client's embeddable portal",
    description:
      "For one of your clients (another partner's client is 404). The `url` opens the portal for this client only, once, " +
      'until `expires_at`; embed it in an iframe on an origin of your `allowed_redirect_urls` or `partner_redirect_url`. ' +
      'Mint one per page view, server-side: the token in its fragment is a credential. See docs/embedding.md.',
    params: ClientPath,
    body: PortalLinkCreateSchema,
    response: PortalLinkSchema,
    status: 201,
    errors: ['not_found', 'idempotency_key_in_progress', 'idempotency_key_reused'],
    handle: async ({ params, body }, { em, deps, partner, actor }) => {
      const { session, token } = await mintPortalLink(
        em,
        deps.clock,
        partner,
        params.client_id,
        { expiresInSeconds: body.expires_in_seconds, showDeliveries: body.show_deliveries },
        actor,
      );
      return {
        id: session.id,
        client_id: session.client.id,
        url: `${deps.config.publicUrl}/embed/portal/${partner.id}#token=${token}`,
        expires_at: session.linkExpiresAt.toISOString(),
      };
    },
  }),
};
