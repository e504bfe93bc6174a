import {
  type BaileysEventMap,
  jidDecode,
  makeCacheableSignalKeyStore,
  S_WHATSAPP_NET,
  DisconnectReason as WA,
} from 'baileys';
import type { ConnectOptions, DeviceConnection } from '../connector.ts';
import { loadAuthState, type StoredAuthState } from './auth-state.ts';
import { toInboundMessage } from './inbound.ts';
import { type BackoffPolicy, backoffDelay, disconnectCode, statusOf } from './reconnect.ts';
import { type BaileysLogger, type BaileysSocket, type MakeSocket, ping, type Schedule } from './socket.ts';

export interface ConnectionSettings {
  makeSocket: MakeSocket;
  logger: BaileysLogger;
  backoff: BackoffPolicy;
  random: () => number;
  schedule: Schedule;
}

const ACTIVITY_EVERY_MS = 1_000;

/** One linked device: the current socket, and the next one after a drop. */
export class BaileysConnection implements DeviceConnection {
  readonly #settings: ConnectionSettings;
  readonly #options: ConnectOptions;
  readonly #logger: BaileysLogger;
  #socket: BaileysSocket | undefined;
  #auth: StoredAuthState | undefined;
  #isOpen = false;
  #stopped = false;
  #attempt = 0;
  #cancelRetry: (() => void) | undefined;

  constructor(settings: ConnectionSettings, options: ConnectOptions) {
    this.#settings = settings;
    this.#options = options;
    this.#logger = settings.logger.child({ linkedDeviceSession: options.sessionId });
  }

  /** A new socket on the credentials in the store (fresh ones when it is empty: a new pairing). */
  async open(): Promise<void> {
    const auth = await loadAuthState(this.#options.auth);
    const { creds, keys } = auth.state;
    const socket = this.#settings.makeSocket({
      auth: { creds, keys: makeCacheableSignalKeyStore(keys, this.#logger) },
      logger: this.#logger,
      // Stay "offline" so the phone keeps its notifications.
      markOnlineOnConnect: false,
    });
    this.#socket = socket;
    this.#auth = auth;
    let lastActivity = 0;
    socket.ws.on('frame', () => {
      const now = Date.now();
      if (now - lastActivity < ACTIVITY_EVERY_MS || socket !== this.#socket) return;
      lastActivity = now;
      this.#options.events.activity(new Date(now));
    });
    const pairing = { requested: false };
    socket.ev.process(async (batch) => {
      // A socket the caller closed, or one already replaced, has nothing more to say.
      if (socket === this.#socket && !this.#stopped) await this.#handle(socket, auth, batch, pairing);
    });
  }

  async #handle(
    socket: BaileysSocket,
    auth: StoredAuthState,
    batch: Partial<BaileysEventMap>,
    pairing: { requested: boolean },
  ): Promise<void> {
    const { events, pairingPhoneNumber } = this.#options;
    const { creds } = auth.state;
    if (batch['creds.update']) {
      Object.assign(creds, batch['creds.update']);
      auth
        .saveCreds()
        .catch((err: unknown) => this.#logger.error({ err }, 'saving linked-device credentials failed'));
    }
    const update = batch['connection.update'];
    if (update?.qr && !pairingPhoneNumber) events.qr(update.qr);
    if (update?.qr && pairingPhoneNumber && !pairing.requested && !creds.registered) {
      // One code per socket: the phone shows the latest one asked for.
      pairing.requested = true;
      socket
        .requestPairingCode(pairingPhoneNumber)
        .then((code) => events.pairingCode(code))
        .catch((err: unknown) => this.#logger.warn({ err }, 'requesting a pairing code failed'));
    }
    // `account` exists once the phone accepted a pairing: from then on the link is being set up.
    if (update?.isNewLogin || (update?.connection === 'connecting' && creds.account)) events.connecting();
    if (update?.connection === 'open') this.#opened(socket);
    const upsert = batch['messages.upsert'];
    if (upsert?.type === 'notify') {
      for (const message of upsert.messages) {
        const inbound = toInboundMessage(message);
        if (inbound) events.message(inbound);
      }
    }
    if (update?.connection === 'close') await this.#closed(statusOf(update.lastDisconnect?.error), auth);
  }

  #opened(socket: BaileysSocket): void {
    this.#isOpen = true;
    this.#attempt = 0;
    const user = socket.user;
    const phoneNumber = jidDecode(user?.id)?.user ?? '';
    this.#options.events.connected({ phoneNumber, name: user?.name ?? user?.notify ?? null });
  }

  async #closed(status: number | undefined, auth: StoredAuthState): Promise<void> {
    const { events } = this.#options;
    this.#isOpen = false;
    this.#socket = undefined;
    if (status === WA.loggedOut) {
      this.#stopped = true;
      events.disconnected({ code: 'logged_out', willReconnect: false });
      await this.#forget(auth);
      events.loggedOut();
      return;
    }
    events.disconnected({ code: disconnectCode(status), willReconnect: true });
    // After a pairing the server asks for a restart: no failure, so no wait and no attempt counted.
    this.#retryIn(status === WA.restartRequired ? 0 : this.#nextDelay());
  }

  #nextDelay(): number {
    return backoffDelay(this.#settings.backoff, this.#attempt++, this.#settings.random);
  }

  #retryIn(delay: number): void {
    this.#cancelRetry = this.#settings.schedule(() => {
      this.#cancelRetry = undefined;
      if (this.#stopped) return;
      this.open().catch((err: unknown) => {
        this.#logger.warn({ err }, 'reconnecting the linked device failed');
        if (!this.#stopped) this.#retryIn(this.#nextDelay());
      });
    }, delay);
  }

  /** A credentials save still in flight must not land after the clear and revive the session. */
  async #forget(auth: StoredAuthState | undefined): Promise<void> {
    await auth?.idle();
    await this.#options.auth.clear();
  }

  async sendText(to: string, text: string): Promise<{ waMessageId: string }> {
    const socket = this.#socket;
    if (!socket || !this.#isOpen) throw new Error('the linked device is not connected');
    const digits = to.replace(/^\+/, '');
    if (!to.includes('@') && !/^\d{6,15}$/.test(digits)) {
      throw new Error('`to` must be a phone number (digits with the country code) or a WhatsApp JID');
    }
    const sent = await socket.sendMessage(to.includes('@') ? to : `${digits}${S_WHATSAPP_NET}`, { text });
    if (!sent?.key.id) throw new Error('WhatsApp did not acknowledge the message');
    return { waMessageId: sent.key.id };
  }

  async probe(timeoutMs: number): Promise<boolean> {
    const socket = this.#socket;
    if (!socket || !this.#isOpen) return false;
    return ping(socket, timeoutMs, this.#settings.schedule);
  }

  async logout(): Promise<void> {
    const wasOpen = this.#isOpen;
    const socket = this.#stop();
    try {
      // Unlinking needs the server; a socket that is not open can only be dropped.
      if (socket && wasOpen) await socket.logout();
      else await socket?.end(undefined);
    } catch (err) {
      this.#logger.warn({ err }, 'unlinking the device failed; its credentials are forgotten anyway');
    }
    this.#options.events.disconnected({ code: 'logged_out', willReconnect: false });
    await this.#forget(this.#auth);
    this.#options.events.loggedOut();
  }

  async close(): Promise<void> {
    const socket = this.#stop();
    await socket?.end(undefined);
    this.#options.events.disconnected({ code: 'closed', willReconnect: false });
  }

  /** No more reconnection, and whatever the current socket still emits is ignored. */
  #stop(): BaileysSocket | undefined {
    this.#stopped = true;
    this.#isOpen = false;
    this.#cancelRetry?.();
    this.#cancelRetry = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    return socket;
  }
}
