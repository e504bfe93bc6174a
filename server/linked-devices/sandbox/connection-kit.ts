import type { DeviceAuthStore } from '../connector.ts';
import type { EmulatedPhones } from './emulated-phones.ts';
import type { Emit } from './event-emitter.ts';
import type { PairingSettings } from './pairing.ts';
import type { TimerSet } from './timer-set.ts';

export interface EmulatorSettings extends PairingSettings {
  /** How long a dead link stays "connected" before the socket times out. */
  offlineTimeoutMs: number;
  onHandlerError: (error: unknown) => void;
}

/** What one connection works with; its timers and emitter are its own, the phones are the process's. */
export interface ConnectionKit {
  sessionId: string;
  auth: DeviceAuthStore;
  phones: EmulatedPhones;
  timers: TimerSet;
  emit: Emit;
  settings: EmulatorSettings;
}
