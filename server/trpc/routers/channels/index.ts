import { router } from '../../trpc.ts';
import { get } from './get.ts';
import { list } from './list.ts';
import { revealSecrets } from './reveal-secrets.ts';

export const channelsRouter = router({ list, get, revealSecrets });
