import { router } from '../../trpc.ts';
import { get } from './get.ts';
import { list } from './list.ts';

export const channelsRouter = router({ list, get });
