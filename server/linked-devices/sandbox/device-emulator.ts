import { AppError } from '../../errors.ts';
import type { ConnectOptions, DeviceConnection, DeviceConnector } from '../connector.ts';
import type { EmulatorSettings } from './connection-kit.ts';
import { EmulatedConnection } from './emulated-connection.ts';
import { digitsOnly, readCreds } from './emulated-creds.ts';
import type { EmulatedPhones } from './emulated-phones.ts';
import { handlerEmitter } from './event-emitter.ts';
import { TimerSet } from './timer-set.ts';

/** WhatsApp Web shows a fresh QR code about every 20 seconds. */
export const DEFAULT_QR_REFRESH_MS = 20_000;
/** Two minutes of QR codes, then the link gives up, as Baileys' QR attempts do. */
export const DEFAULT_QR_CODE_LIMIT = 6;
/** Roughly when Baileys' keep-alive notices a socket that stopped answering. */
export const DEFAULT_OFFLINE_TIMEOUT_MS = 30_000;

/**
 * Linked devices in sandbox mode: the "phones" live in `phones` (one EmulatedPhones per hub
 * process, shared by every connection of that process), and the sandbox control API plays what
 * a person would do with them. See docs/linked-devices.md.
 */
export class SandboxDeviceConnector implements DeviceConnector {
  readonly #phones: EmulatedPhones;
  readonly #settings: EmulatorSettings;

  constructor(phones: EmulatedPhones, settings: Partial<EmulatorSettings> = {}) {
    this.#phones = phones;
    this.#settings = {
      qrRefreshMs: settings.qrRefreshMs ?? DEFAULT_QR_REFRESH_MS,
      qrCodeLimit: settings.qrCodeLimit ?? DEFAULT_QR_CODE_LIMIT,
      offlineTimeoutMs: settings.offlineTimeoutMs ?? DEFAULT_OFFLINE_TIMEOUT_MS,
      onHandlerError: settings.onHandlerError ?? reportHandlerError,
    };
  }

  async connect(options: ConnectOptions): Promise<DeviceConnection> {
    const pairingNumber =
      options.pairingPhoneNumber === undefined ? null : digitsOnly(options.pairingPhoneNumber);
    if (options.pairingPhoneNumber !== undefined && !pairingNumber) {
      throw new AppError('validation_failed', 'pairingPhoneNumber is not a phone number');
    }
    const creds = await readCreds(options.auth);
    const connection = new EmulatedConnection({
      sessionId: options.sessionId,
      auth: options.auth,
      phones: this.#phones,
      timers: new TimerSet(),
      emit: handlerEmitter(options.events, this.#settings.onHandlerError),
      settings: this.#settings,
    });
    this.#phones.attach(options.sessionId, connection);
    connection.start(creds, pairingNumber);
    return connection;
  }
}

/** The connector's contract says handlers do not throw: one that does is a bug worth seeing. */
function reportHandlerError(error: unknown): void {
  process.emitWarning(error instanceof Error ? error : String(error), { code: 'LINKED_DEVICE_HANDLER' });
}
