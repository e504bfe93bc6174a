import { makeWASocket } from 'baileys';
import { pino } from 'pino';
import type { ConnectOptions, DeviceConnection, DeviceConnector } from '../connector.ts';
import { BaileysConnection, type ConnectionSettings } from './connection.ts';
import { DEFAULT_BACKOFF } from './reconnect.ts';
import { defaultSchedule } from './socket.ts';

export type BaileysConnectorOptions = Partial<ConnectionSettings>;

/**
 * Linked devices over Baileys, an unofficial WhatsApp Web client (docs/linked-devices.md): one
 * socket per connection at a time, credentials in the caller's `DeviceAuthStore`, and
 * reconnection with backoff after anything but an unlink or the caller's own close.
 */
export class BaileysConnector implements DeviceConnector {
  readonly #settings: ConnectionSettings;

  constructor(options: BaileysConnectorOptions = {}) {
    this.#settings = {
      makeSocket: makeWASocket,
      // Baileys is chatty at info level; the hub's logger (a child) is passed in production.
      logger: pino({ level: 'silent' }),
      backoff: DEFAULT_BACKOFF,
      random: Math.random,
      schedule: defaultSchedule,
      ...options,
    };
  }

  /** Resolves once the first socket is made (credentials read); the events tell the rest. */
  async connect(options: ConnectOptions): Promise<DeviceConnection> {
    const connection = new BaileysConnection(this.#settings, options);
    await connection.open();
    return connection;
  }
}
