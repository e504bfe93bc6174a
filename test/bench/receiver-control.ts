import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export type ReceiverStats = { received: number; invalid: number; unique: number; latencies: number[] };

/** Talks to webhook-receiver-process.ts over IPC: ask for stats, reset them, wait for a count. */
export function receiverControl(receiver: ChildProcess) {
  const ask = async <T>(type: string): Promise<T> => {
    receiver.send({ type });
    for (;;) {
      const [msg] = (await once(receiver, 'message')) as [{ type: string } & T];
      if (msg.type === type) return msg;
    }
  };
  const waitForReceived = async (n: number, timeoutMs: number): Promise<ReceiverStats> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stats = await ask<ReceiverStats>('stats');
      if (stats.received >= n || Date.now() > deadline) return stats;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { ask, waitForReceived };
}
