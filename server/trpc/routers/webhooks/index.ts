import { router } from '../../trpc.ts';
import { endpointsRouter } from './endpoints.ts';
import { deliveriesRouter, eventsRouter } from './log.ts';

export const webhooksRouter = router({
  endpoints: endpointsRouter,
  events: eventsRouter,
  deliveries: deliveriesRouter,
});
