import { EVENT_TYPES, INBOUND_EVENT_TYPES } from '../../../shared/events.ts';
import { router } from '../../trpc/trpc.ts';
import { partnerUserProcedure } from '../procedures.ts';

const inbound = new Set<string>(INBOUND_EVENT_TYPES);

/**
 * What the console's webhook pages need beyond the partner API: the event catalogue, served
 * rather than imported, so the browser bundle does not carry the catalogue's zod schemas.
 */
export const webhooksRouter = router({
  /** Every event type an endpoint can filter on; `inbound` ones reach only endpoints naming them. */
  eventTypes: partnerUserProcedure.query(() => ({
    event_types: EVENT_TYPES.map((type) => ({ type, inbound: inbound.has(type) })),
  })),
});
