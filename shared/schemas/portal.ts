import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { TimestampSchema } from './common.ts';
import { safeString } from './safe-text.ts';

/** How long a portal link may wait to be opened: a minute to an hour (docs/embedding.md). */
export const PORTAL_LINK_MIN_SECONDS = 60;
export const PORTAL_LINK_MAX_SECONDS = 3600;

export const PortalLinkCreateSchema = z
  .strictObject({
    expires_in_seconds: z
      .number()
      .int()
      .min(PORTAL_LINK_MIN_SECONDS)
      .max(PORTAL_LINK_MAX_SECONDS)
      .default(300)
      .meta({ description: 'How long the link may wait to be opened, 60 to 3600 seconds (default 300)' }),
    show_deliveries: z
      .boolean()
      .default(false)
      .meta({ description: "Whether the portal lists your webhook deliveries for the client's numbers" }),
  })
  .meta({ id: 'PortalLinkCreate' });

export const PortalLinkSchema = z
  .object({
    id: idSchema('portalSession'),
    client_id: idSchema('client'),
    url: safeString().meta({
      description:
        'The portal page with a one-time token in its fragment: open it once, in an iframe on one of your allowlisted origins',
    }),
    expires_at: TimestampSchema.meta({ description: 'The link works once, until then' }),
  })
  .meta({ id: 'PortalLink' });
