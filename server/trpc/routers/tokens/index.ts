import { router } from '../../trpc.ts';
import { list } from './list.ts';
import { revoke } from './revoke.ts';
import { rotate } from './rotate.ts';

export const tokensRouter = router({ rotate, list, revoke });
