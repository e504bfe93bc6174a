import type { LinkedDeviceStatus } from '../../../shared/statuses.ts';
import type { DeviceConnection, DeviceEvents, DisconnectReason, InboundDeviceMessage } from '../connector.ts';
import { applyDeviceUpdate, type DeviceUpdate } from './device-state.ts';
import { inboundMessagePayload } from './meta-shaped.ts';
import { relayPayload } from './relay.ts';
import type { RunnerContext } from './runner-context.ts';

/** Retries a write while the database is away, for about a minute, then gives it up (logged). */
const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000, 8000];

/**
 * One session held by this worker: its connection, and the connection's events turned into
 * fenced writes, in the order they happened (one chain per session).
 */
export class LiveSession {
  readonly id: string;
  connection: DeviceConnection | undefined;
  /** What this process last wrote; probes and sends look here, not at the database. */
  status: LinkedDeviceStatus = 'PENDING';
  phoneNumber = '';
  lastActivityAt: Date | null = null;
  closed = false;
  #chain: Promise<void> = Promise.resolve();
  readonly #ctx: RunnerContext;

  constructor(ctx: RunnerContext, id: string) {
    this.#ctx = ctx;
    this.id = id;
  }

  async open(pairingPhoneNumber: string | null): Promise<void> {
    this.connection = await this.#ctx.connector.connect({
      sessionId: this.id,
      auth: this.#ctx.authStore(this.id),
      events: this.#events(),
      ...(pairingPhoneNumber ? { pairingPhoneNumber } : {}),
    });
    if (this.closed) await this.connection.close();
  }

  /** Ends the socket without unlinking (the credentials stay for the next owner). */
  async close(): Promise<void> {
    this.closed = true;
    await this.connection?.close().catch(() => {});
  }

  /** Waits for the writes already queued (shutdown, tests). */
  settled(): Promise<void> {
    return this.#chain;
  }

  /** Queues a write after the ones before it. */
  update(update: DeviceUpdate, after?: () => Promise<void> | void): void {
    if (update.kind === 'connected') {
      this.status = 'CONNECTED';
      this.phoneNumber = update.phoneNumber;
    } else if (update.kind === 'qr' || update.kind === 'pairing_code') this.status = 'QR';
    else if (update.kind === 'connecting') this.status = 'CONNECTING';
    else if (update.kind === 'disconnected') this.status = 'DISCONNECTED';
    else if (update.kind === 'logged_out') this.status = 'LOGGED_OUT';
    else if (update.kind === 'probe' && this.status === 'CONNECTED' && !update.ok)
      this.status = 'DISCONNECTED';
    else if (update.kind === 'probe' && this.status === 'DISCONNECTED' && update.ok)
      this.status = 'CONNECTED';
    this.#enqueue(async () => {
      const held = await this.#withRetry(`write ${update.kind}`, () =>
        applyDeviceUpdate(this.#ctx, this.#ctx.ownerId, this.id, update),
      );
      if (held === false) return this.#ctx.lost(this.id);
      await after?.();
    });
  }

  #relay(message: InboundDeviceMessage): void {
    this.#enqueue(async () => {
      const payload = inboundMessagePayload({ sessionId: this.id, phoneNumber: this.phoneNumber }, message);
      await this.#withRetry('relay a message', () =>
        relayPayload(this.#ctx.orm, this.#ctx.clock, this.id, payload, true),
      );
    });
  }

  #enqueue(work: () => Promise<void>): void {
    this.#chain = this.#chain.then(work).catch((err) => {
      this.#ctx.logger.error({ err, linkedDeviceSession: this.id }, 'linked-device session update failed');
    });
  }

  async #withRetry<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined || this.closed) throw err;
        this.#ctx.logger.warn({ err, linkedDeviceSession: this.id }, `could not ${what}; retrying`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  #events(): DeviceEvents {
    return {
      qr: (qr) => this.update({ kind: 'qr', qr }),
      pairingCode: (code) => this.update({ kind: 'pairing_code', code }),
      connecting: () => this.update({ kind: 'connecting' }),
      connected: (me) => this.update({ kind: 'connected', phoneNumber: me.phoneNumber, name: me.name }),
      disconnected: (reason) => this.#disconnected(reason),
      loggedOut: () =>
        this.update({ kind: 'logged_out', reason: 'logged_out' }, () => this.#ctx.loggedOut(this.id)),
      message: (message) => this.#relay(message),
      activity: (at) => {
        this.lastActivityAt = at;
      },
    };
  }

  #disconnected(reason: DisconnectReason): void {
    if (this.closed) return;
    // An unlink reports `logged_out`, then `loggedOut`: the latter says it.
    if (reason.code === 'logged_out') return;
    if (reason.willReconnect) {
      this.update({ kind: 'disconnected', reason: reason.code, idle: false });
    } else if (reason.code === 'qr_timeout') {
      // QR codes nobody scanned: the session waits until someone asks to pair again.
      this.update({ kind: 'disconnected', reason: reason.code, idle: true }, () =>
        this.#ctx.release(this.id),
      );
    } else {
      // Replaced by another connection, or a failure the connector will not retry: start over.
      this.update({ kind: 'disconnected', reason: reason.code, idle: false }, () =>
        this.#ctx.restart(this.id),
      );
    }
  }
}
