import type { EmulatorSettings } from '../../server/linked-devices/sandbox/connection-kit.ts';
import { SandboxDeviceConnector } from '../../server/linked-devices/sandbox/device-emulator.ts';
import { EmulatedPhones } from '../../server/linked-devices/sandbox/emulated-phones.ts';
import { recordDeviceEvents } from './device-events.ts';
import { MemoryAuthStore } from './memory-auth-store.ts';

export const TEST_SETTINGS = { qrRefreshMs: 1_000, qrCodeLimit: 3, offlineTimeoutMs: 30_000 };

/**
 * One emulated connection: `phones` stands for a hub process (pass another one for a second
 * process), `store` for the database. Events start after a timer tick: advance the fake clock.
 */
export async function connectEmulated(
  options: {
    phones?: EmulatedPhones;
    store?: MemoryAuthStore;
    sessionId?: string;
    pairingPhoneNumber?: string;
    settings?: Partial<EmulatorSettings>;
  } = {},
) {
  const phones = options.phones ?? new EmulatedPhones();
  const store = options.store ?? new MemoryAuthStore();
  const sessionId = options.sessionId ?? 'session-1';
  const recorder = recordDeviceEvents();
  const connector = new SandboxDeviceConnector(phones, { ...TEST_SETTINGS, ...options.settings });
  const connection = await connector.connect({
    sessionId,
    auth: store,
    events: recorder.events,
    pairingPhoneNumber: options.pairingPhoneNumber,
  });
  return { phones, store, sessionId, connection, ...recorder };
}
