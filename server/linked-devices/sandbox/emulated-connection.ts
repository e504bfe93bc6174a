import { AppError } from '../../errors.ts';
import type { DeviceConnection, InboundDeviceMessage } from '../connector.ts';
import type { ConnectionKit } from './connection-kit.ts';
import { digitsOnly, type EmulatedCreds, newMessageId, readCreds, writeCreds } from './emulated-creds.ts';
import type { EmulatedLink } from './emulated-phones.ts';
import { offerPairingCode, showQrCodes } from './pairing.ts';

/*
 * starting → pairing → starting (writing creds) → connected ⇄ dead → reconnecting → starting → …;
 * closed from anywhere, for good. "dead" is the phone offline while the caller still sees a
 * connected socket: sends vanish, probes time out, inbound messages wait at the "server".
 */
type State = 'starting' | 'pairing' | 'connected' | 'dead' | 'reconnecting' | 'closed';

export class EmulatedConnection implements DeviceConnection, EmulatedLink {
  #state: State = 'starting';
  #me: Pick<EmulatedCreds, 'phoneNumber' | 'name'> | null = null;
  #held: InboundDeviceMessage[] = [];
  #deadTimer: NodeJS.Timeout | null = null;
  readonly #probes = new Set<() => void>();
  readonly #kit: ConnectionKit;

  constructor(kit: ConnectionKit) {
    this.#kit = kit;
  }

  /** Events start on the next tick, once `connect` has handed this connection to its caller. */
  start(creds: EmulatedCreds | null, pairingPhoneNumber: string | null): void {
    if (creds) this.#me = { phoneNumber: creds.phoneNumber, name: creds.name };
    this.#kit.timers.later(0, () => {
      if (this.#me) return this.#resume();
      this.#state = 'pairing';
      const timedOut = () => {
        this.#end();
        this.#kit.emit('disconnected', { code: 'qr_timeout', willReconnect: false });
      };
      const context = { ...this.#kit, timedOut };
      if (pairingPhoneNumber) offerPairingCode(context, pairingPhoneNumber);
      else showQrCodes(context);
    });
  }

  async sendText(to: string, text: string): Promise<{ waMessageId: string }> {
    if (this.#state !== 'connected' && this.#state !== 'dead') {
      throw new AppError('channel_not_ready', 'The linked device is not connected');
    }
    const number = digitsOnly(to);
    if (!number) throw new AppError('validation_failed', `Not a WhatsApp number: ${JSON.stringify(to)}`);
    if (!text) throw new AppError('validation_failed', 'The text is empty');
    const waMessageId = newMessageId();
    // A dead link swallows the message as a dead socket does: no ack, and never delivered.
    if (this.#state === 'connected') {
      const at = this.#kit.phones.clock.now();
      this.#kit.phones.recordSent(this.#kit.sessionId, { waMessageId, to: number, text, at });
      this.#kit.emit('activity', at);
    }
    return { waMessageId };
  }

  probe(timeoutMs: number): Promise<boolean> {
    if (this.#state === 'connected') {
      this.#kit.emit('activity', this.#kit.phones.clock.now());
      return Promise.resolve(true);
    }
    if (this.#state !== 'dead') return Promise.resolve(false);
    return new Promise((resolve) => {
      const fail = () => {
        this.#probes.delete(fail);
        resolve(false);
      };
      this.#probes.add(fail);
      this.#kit.timers.later(timeoutMs, fail);
    });
  }

  async logout(): Promise<void> {
    await this.#forget();
  }

  async close(): Promise<void> {
    this.#end();
  }

  // EmulatedLink: what the plays do to this connection.
  async link(phoneNumber: string, name: string | null): Promise<void> {
    if (this.#state !== 'pairing') throw new AppError('conflict', 'This session is not pairing');
    this.#kit.timers.stopAll();
    this.#state = 'starting';
    const pairedAt = this.#kit.phones.clock.now().toISOString();
    try {
      await writeCreds(this.#kit.auth, { phoneNumber, name, pairedAt });
    } catch (error) {
      this.#end();
      this.#kit.emit('disconnected', { code: 'pairing_failed', willReconnect: false });
      throw error;
    }
    if (this.#state !== 'starting') return; // closed while the store was writing
    this.#me = { phoneNumber, name };
    this.#resume();
  }

  onlineChanged(): void {
    const online = this.#kit.phones.isOnline(this.#kit.sessionId);
    if (!online && this.#state === 'connected') {
      this.#state = 'dead';
      this.#deadTimer = this.#kit.timers.later(this.#kit.settings.offlineTimeoutMs, () => {
        this.#state = 'reconnecting';
        this.#kit.emit('disconnected', { code: 'timed_out', willReconnect: true });
      });
    } else if (online && this.#state === 'dead') {
      // Back before the socket timed out: it never closed, so there is no new `connected`.
      this.#kit.timers.cancel(this.#deadTimer);
      this.#state = 'connected';
      this.#flushHeld();
    } else if (online && this.#state === 'reconnecting') {
      void this.#reconnect();
    }
  }

  async unlink(): Promise<void> {
    if (!this.#me) throw new AppError('conflict', 'This session is not linked to a phone yet');
    await this.#forget();
  }

  deliver(message: InboundDeviceMessage): boolean {
    if (this.#state === 'connected') {
      this.#kit.emit('message', message);
      this.#kit.emit('activity', this.#kit.phones.clock.now());
      return true;
    }
    if (this.#me && this.#state !== 'closed') {
      this.#held.push(message);
      return false;
    }
    throw new AppError('channel_not_ready', 'The linked device is not connected');
  }

  replaced(): void {
    if (this.#state === 'closed') return;
    this.#end();
    this.#kit.emit('disconnected', { code: 'replaced', willReconnect: false });
  }

  /** Linked (paired just now or from the stored creds): online unless the phone is offline. */
  #resume(): void {
    if (!this.#kit.phones.isOnline(this.#kit.sessionId)) {
      this.#state = 'reconnecting';
      return;
    }
    this.#state = 'connected';
    this.#kit.emit('connecting');
    this.#kit.emit('connected', this.#me!);
    this.#kit.emit('activity', this.#kit.phones.clock.now());
    this.#flushHeld();
  }

  /** After a timeout the creds are read again: another process may have logged the device out. */
  async #reconnect(): Promise<void> {
    this.#state = 'starting';
    const creds = await readCreds(this.#kit.auth).catch(() => undefined);
    if (this.#state !== 'starting') return;
    if (creds === undefined) {
      this.#state = 'reconnecting';
      this.#kit.timers.later(this.#kit.settings.offlineTimeoutMs, () => this.onlineChanged());
    } else if (creds === null) {
      this.#end();
      this.#announceLoggedOut();
    } else {
      this.#me = { phoneNumber: creds.phoneNumber, name: creds.name };
      this.#resume();
    }
  }

  async #forget(): Promise<void> {
    const wasOpen = this.#state !== 'closed';
    this.#end();
    await this.#kit.auth.clear();
    if (wasOpen) this.#announceLoggedOut();
  }

  #announceLoggedOut(): void {
    this.#kit.emit('disconnected', { code: 'logged_out', willReconnect: false });
    this.#kit.emit('loggedOut');
  }

  #flushHeld(): void {
    const held = this.#held;
    this.#held = [];
    for (const message of held) this.deliver(message);
  }

  /** Closed for good: no timer left, pending probes answered, the phones forget this connection. */
  #end(): void {
    this.#state = 'closed';
    this.#kit.timers.stopAll();
    for (const fail of [...this.#probes]) fail();
    this.#kit.phones.detach(this.#kit.sessionId, this);
  }
}
