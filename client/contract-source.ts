import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '../server/trpc/router.ts';
import type { EventData, EventType } from '../shared/events.ts';

/**
 * Not part of the package: `client/generate-contract.ts` has TypeScript write this file's
 * declarations, where the router and the event catalogue come out spelled in full (plain
 * object types, zod and tRPC only), and copies them into client/src/contract.ts.
 */
const spelled = <T>() => undefined as unknown as { [K in keyof T]: T[K] };
export const router = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '' })] });
export const events = spelled<{ [T in EventType]: EventData<T> }>();
