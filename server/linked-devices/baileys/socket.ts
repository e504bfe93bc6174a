import type { EventEmitter } from 'node:events';
import { S_WHATSAPP_NET, type UserFacingSocketConfig, type WASocket } from 'baileys';

/** The part of Baileys' socket the adapter uses: what a test's fake socket has to provide. */
export type BaileysSocket = Pick<
  WASocket,
  'ev' | 'user' | 'sendMessage' | 'requestPairingCode' | 'query' | 'logout' | 'end'
> & {
  /** Baileys' websocket client, an EventEmitter: `frame` fires on every frame received. */
  ws: Pick<EventEmitter, 'on'>;
};

export type MakeSocket = (config: UserFacingSocketConfig) => BaileysSocket;

export type BaileysLogger = UserFacingSocketConfig['logger'] & {};

/** Runs `task` after `ms`; returns a cancel function. Tests hand in one they drive themselves. */
export type Schedule = (task: () => void, ms: number) => () => void;

export const defaultSchedule: Schedule = (task, ms) => {
  const timer = setTimeout(task, ms);
  return () => clearTimeout(timer);
};

/**
 * Baileys' own keep-alive ping (an `iq` the server answers): true only if the answer came within
 * `timeoutMs`, so a socket that stopped receiving without closing shows as dead.
 */
export async function ping(socket: BaileysSocket, timeoutMs: number, schedule: Schedule): Promise<boolean> {
  const answered = socket
    .query(
      {
        tag: 'iq',
        attrs: { to: S_WHATSAPP_NET, type: 'get', xmlns: 'w:p' },
        content: [{ tag: 'ping', attrs: {} }],
      },
      timeoutMs,
    )
    // Baileys resolves a query that timed out with undefined.
    .then((answer) => answer !== undefined)
    .catch(() => false);
  let cancel: (() => void) | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    cancel = schedule(() => resolve(false), timeoutMs);
  });
  return Promise.race([answered, timedOut]).finally(() => cancel?.());
}
