import type { DeviceEvents } from '../../server/linked-devices/connector.ts';

type Name = keyof DeviceEvents;

/** DeviceEvents handlers that record every call, in order, for assertions. */
export function recordDeviceEvents() {
  const log: { name: Name; args: unknown[] }[] = [];
  const record =
    (name: Name) =>
    (...args: unknown[]) => {
      log.push({ name, args });
    };
  const events: DeviceEvents = {
    qr: record('qr'),
    pairingCode: record('pairingCode'),
    connecting: record('connecting'),
    connected: record('connected'),
    disconnected: record('disconnected'),
    loggedOut: record('loggedOut'),
    message: record('message'),
    activity: record('activity'),
  };
  return {
    events,
    log,
    /** The events' names in order, `activity` left out (it accompanies most of the others). */
    names: () => log.filter((e) => e.name !== 'activity').map((e) => e.name),
    /** The first argument of each call of one event. */
    args: <K extends Name>(name: K) =>
      log.filter((e) => e.name === name).map((e) => e.args[0] as Parameters<DeviceEvents[K]>[0]),
    clear: () => log.splice(0),
  };
}
