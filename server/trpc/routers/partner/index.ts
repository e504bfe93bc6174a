import { router } from '../../trpc.ts';
import { me } from './me.ts';
import { update } from './update.ts';

export const partnerRouter = router({ me, update });
