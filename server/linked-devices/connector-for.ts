import type { Hub } from '../hub.ts';
import { BaileysConnector } from './baileys/baileys-connector.ts';
import type { DeviceConnector } from './connector.ts';
import type { EmulatorSettings } from './sandbox/connection-kit.ts';
import { SandboxDeviceConnector } from './sandbox/device-emulator.ts';
import { EmulatedPhones } from './sandbox/emulated-phones.ts';
import { runPlay } from './sandbox/plays.ts';

export interface RunnerConnector {
  connector: DeviceConnector;
  /** Sandbox mode only: runs a control-API play on this process's emulated phones. */
  play?: (sessionId: string, play: unknown) => Promise<Record<string, unknown>>;
}

/**
 * Production: Baileys (real WhatsApp Web). Sandbox mode: the device emulator, with its plays;
 * `emulator` lets tests shorten its timings (a new QR code every few hundred ms).
 */
export function connectorFor(
  hub: Pick<Hub, 'config' | 'clock' | 'logger'>,
  emulator: Partial<Omit<EmulatorSettings, 'onHandlerError'>> = {},
): RunnerConnector {
  if (hub.config.meta.mode === 'production') {
    return {
      connector: new BaileysConnector({
        logger: hub.logger.child({ component: 'baileys' }, { level: 'warn' }),
      }),
    };
  }
  const phones = new EmulatedPhones(hub.clock);
  return {
    connector: new SandboxDeviceConnector(phones, {
      ...emulator,
      onHandlerError: (err) => hub.logger.error({ err }, 'linked-device event handler failed'),
    }),
    play: (sessionId, play) => runPlay(phones, sessionId, play),
  };
}
