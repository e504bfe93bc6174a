import { z } from 'zod';
import { idPattern } from '../../shared/ids.ts';
import { safeString } from '../../shared/schemas/safe-text.ts';
import { withAuthFailureBudget } from '../auth/auth-failure-budget.ts';
import { EmbeddedSignupResultSchema } from '../hosted/embedded-signup-input.ts';
import { signupSettings } from '../hosted/permissions-forms.ts';
import {
  addPortalNumber,
  changePortalAccess,
  portalDeliveries,
  portalNumbers,
} from '../modules/portal/portal.service.ts';
import { exchangePortalLink } from '../modules/portal/portal-links.service.ts';
import type { PortalSession } from '../modules/portal/portal-session.entity.ts';
import { router } from '../trpc/trpc.ts';
import { embedProcedure, portalProcedure } from './procedures.ts';

const idField = safeString().max(64);

/** What the page shows about itself: whose portal, for whom, and what it may list. */
function portalView(session: PortalSession) {
  const { partner, client } = session;
  return {
    partner: {
      id: partner.id,
      brand_name: partner.brandName ?? partner.name,
      logo_url: partner.logoUrl ?? null,
    },
    client: { id: client.id, name: client.name ?? null },
    show_deliveries: session.showDeliveries,
    expires_at: session.expiresAt?.toISOString() ?? null,
  };
}

/**
 * `/embed/trpc`: the embedded client portal (docs/embedding.md). `session.exchange` trades a
 * one-time link for a session credential; every other procedure acts for that session's one
 * client, through the services the hosted client hub uses.
 */
export const embedRouter = router({
  session: router({
    /** The link's token (from the page's fragment), once, on the page of the partner that minted it. */
    exchange: embedProcedure
      .input(
        z.strictObject({
          partner_id: idField.regex(idPattern('partner'), 'must be a partner id'),
          token: safeString().max(100),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        const { session, token } = await withAuthFailureBudget(
          { limits: ctx.deps.rateLimits, ip: ctx.request.ip, setHeaders: ctx.setHeaders },
          () => exchangePortalLink(ctx.em, ctx.deps.clock, input.partner_id, input.token),
        );
        return { session_token: token, ...portalView(session) };
      }),
    get: portalProcedure.query(({ ctx }) => portalView(ctx.session)),
  }),

  numbers: router({
    list: portalProcedure.query(({ ctx }) => portalNumbers(ctx.em, ctx.session)),
    /** Grant a partner this number, or take its access away: the client hub's rules. */
    changeAccess: portalProcedure
      .input(
        z.strictObject({
          channel_id: idField,
          partner_id: idField,
          action: z.enum(['grant', 'revoke']),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        await changePortalAccess(
          ctx.em,
          ctx.deps,
          ctx.session,
          { channelId: input.channel_id, partnerId: input.partner_id, action: input.action },
          ctx.actor,
        );
        return { changed: true as const };
      }),
    /** What Embedded Signup returned (the signup popup hands it to the portal page). */
    add: portalProcedure
      .input(EmbeddedSignupResultSchema)
      .mutation(({ ctx, input }) => addPortalNumber(ctx.em, ctx.deps, ctx.session, input, ctx.actor)),
  }),

  deliveries: router({
    list: portalProcedure.query(({ ctx }) => portalDeliveries(ctx.em, ctx.session)),
  }),

  /** Meta's (or the sandbox's) Embedded Signup settings for the signup popup: nothing secret. */
  signup: router({
    settings: embedProcedure.query(({ ctx }) => signupSettings(ctx.deps)),
  }),
});

export type EmbedRouter = typeof embedRouter;
