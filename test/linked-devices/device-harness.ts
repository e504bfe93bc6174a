import type { Schedule } from '../../server/linked-devices/baileys/socket.ts';
import type { DeviceEvents } from '../../server/linked-devices/connector.ts';

type Recorded = { [K in keyof DeviceEvents]: [K, ...Parameters<DeviceEvents[K]>] }[keyof DeviceEvents];

/** Every event a connection reported, in order. */
export function recordEvents(): {
  events: DeviceEvents;
  log: Recorded[];
  of<K extends keyof DeviceEvents>(name: K): Parameters<DeviceEvents[K]>[];
} {
  const log: Recorded[] = [];
  const push =
    <K extends keyof DeviceEvents>(name: K) =>
    (...args: Parameters<DeviceEvents[K]>) => {
      log.push([name, ...args] as unknown as Recorded);
    };
  return {
    log,
    events: {
      qr: push('qr'),
      pairingCode: push('pairingCode'),
      connecting: push('connecting'),
      connected: push('connected'),
      disconnected: push('disconnected'),
      loggedOut: push('loggedOut'),
      message: push('message'),
      activity: push('activity'),
    },
    of: (name) => log.filter((e) => e[0] === name).map(([, ...args]) => args) as never,
  };
}

/** A clock the test turns by hand: the waits asked for, run when the test says so. */
export class ManualSchedule {
  readonly waits: { ms: number; task: () => void; cancelled: boolean; ran: boolean }[] = [];

  readonly schedule: Schedule = (task, ms) => {
    const wait = { ms, task, cancelled: false, ran: false };
    this.waits.push(wait);
    return () => {
      wait.cancelled = true;
    };
  };

  /** Runs the latest wait that is still pending. */
  runPending(): void {
    const wait = this.waits.findLast((w) => !w.cancelled && !w.ran);
    if (!wait) throw new Error('no pending wait');
    wait.ran = true;
    wait.task();
  }

  pending(): number[] {
    return this.waits.filter((w) => !w.cancelled && !w.ran).map((w) => w.ms);
  }
}
