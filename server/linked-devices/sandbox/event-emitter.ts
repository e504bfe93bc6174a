import type { DeviceEvents } from '../connector.ts';

export type Emit = <K extends keyof DeviceEvents>(name: K, ...args: Parameters<DeviceEvents[K]>) => void;

/**
 * Calls the caller's handlers without waiting for them. Handlers must not throw, but one that does
 * (or rejects) goes to `onError` instead of breaking the emulator's state or crashing the process
 * from a timer.
 */
export function handlerEmitter(events: DeviceEvents, onError: (error: unknown) => void): Emit {
  return (name, ...args) => {
    try {
      const result: unknown = (events[name] as (...a: typeof args) => unknown)(...args);
      if (result instanceof Promise) result.catch(onError);
    } catch (error) {
      onError(error);
    }
  };
}
