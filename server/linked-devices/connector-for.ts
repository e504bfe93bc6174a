import type { Hub } from '../hub.ts';
import type { BaileysConnectorOptions } from './baileys/baileys-connector.ts';
import type { ConnectOptions, DeviceConnection, DeviceConnector } from './connector.ts';
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
      connector: baileysWhenFirstUsed({
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

/**
 * Baileys is loaded on the first connection, not with the module: importing it costs ~0.5 s of
 * CPU, which every hub, worker and CLI process would otherwise pay at start, linked devices on
 * or not (they are off by default).
 */
function baileysWhenFirstUsed(options: BaileysConnectorOptions): DeviceConnector {
  let loaded: Promise<DeviceConnector> | undefined;
  return {
    async connect(connectOptions: ConnectOptions): Promise<DeviceConnection> {
      loaded ??= import('./baileys/baileys-connector.ts').then(
        ({ BaileysConnector }) => new BaileysConnector(options),
      );
      return (await loaded).connect(connectOptions);
    },
  };
}
