import { router } from '../../trpc.ts';
import { get } from './get.ts';
import { list } from './list.ts';
import { update } from './update.ts';

export const clientsRouter = router({ list, get, update });
