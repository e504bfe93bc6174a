import { type Clock, systemClock } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import type { InboundDeviceMessage } from '../connector.ts';
import { digitsOnly, newMessageId } from './emulated-creds.ts';

/** What the phones ask of a live connection of this process (EmulatedConnection implements it). */
export interface EmulatedLink {
  /** The phone accepted the pairing (QR scanned or code typed). */
  link(phoneNumber: string, name: string | null): Promise<void>;
  /** The phones' online flag for this session changed. */
  onlineChanged(): void;
  /** Unlinked from the phone: the credentials are void. */
  unlink(): Promise<void>;
  /** True when delivered now, false when held until the link is back. */
  deliver(message: InboundDeviceMessage): boolean;
  /** Another connection of this process took the session. */
  replaced(): void;
}

export interface SentDeviceMessage {
  waMessageId: string;
  to: string;
  text: string;
  at: Date;
}

export interface InboundPlay {
  from: string;
  text?: string | null | undefined;
  pushName?: string | null | undefined;
  type?: string | undefined;
  reaction?: InboundDeviceMessage['reaction'];
  location?: InboundDeviceMessage['location'];
}

/** Enough for any sandbox scenario without letting a long-running hub grow without bound. */
const SENT_KEPT = 500;

/**
 * The emulated phones of one hub process, shared by its SandboxDeviceConnector's connections,
 * and the plays the sandbox control API calls on them. Everything here is per process (pending
 * QR and pairing codes, online flags, held and sent messages): only the credentials, kept in the
 * DeviceAuthStore, survive a session moving to another process. A play therefore reaches a
 * session only in the process that holds its connection.
 */
export class EmulatedPhones {
  readonly #links = new Map<string, EmulatedLink>();
  readonly #pendingQr = new Map<string, string>();
  readonly #pendingCodes = new Map<string, { sessionId: string; phoneNumber: string }>();
  readonly #offline = new Set<string>();
  readonly #sent = new Map<string, SentDeviceMessage[]>();
  readonly clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.clock = clock;
  }

  // --- The connections' side ---

  attach(sessionId: string, link: EmulatedLink): void {
    const previous = this.#links.get(sessionId);
    this.#links.set(sessionId, link);
    this.withdrawPairing(sessionId);
    // WhatsApp closes the older of two connections with the same credentials.
    if (previous && previous !== link) previous.replaced();
  }

  detach(sessionId: string, link: EmulatedLink): void {
    if (this.#links.get(sessionId) !== link) return;
    this.#links.delete(sessionId);
    this.withdrawPairing(sessionId);
  }

  /** Only the latest QR of a session can be scanned: showing one withdraws the one before. */
  offerQr(sessionId: string, payload: string): void {
    this.withdrawPairing(sessionId);
    this.#pendingQr.set(payload, sessionId);
  }

  offerPairingCode(sessionId: string, code: string, phoneNumber: string): void {
    this.withdrawPairing(sessionId);
    this.#pendingCodes.set(code, { sessionId, phoneNumber });
  }

  withdrawPairing(sessionId: string): void {
    for (const [payload, owner] of this.#pendingQr) if (owner === sessionId) this.#pendingQr.delete(payload);
    for (const [code, pending] of this.#pendingCodes) {
      if (pending.sessionId === sessionId) this.#pendingCodes.delete(code);
    }
  }

  isOnline(sessionId: string): boolean {
    return !this.#offline.has(sessionId);
  }

  recordSent(sessionId: string, message: SentDeviceMessage): void {
    const sent = this.#sent.get(sessionId) ?? [];
    sent.push(message);
    if (sent.length > SENT_KEPT) sent.shift();
    this.#sent.set(sessionId, sent);
  }

  // --- The plays ---

  /** A phone scans a QR: `target` is the QR payload shown, or the session id (the latest QR). */
  async scan(target: string, phoneNumber: string, name?: string | null): Promise<{ sessionId: string }> {
    const number = numberOrFail(phoneNumber);
    const sessionId =
      this.#pendingQr.get(target) ?? ([...this.#pendingQr.values()].includes(target) ? target : undefined);
    if (!sessionId) {
      throw new AppError(
        'not_found',
        'No pending pairing for this QR code: expired, replaced or already used',
      );
    }
    this.withdrawPairing(sessionId);
    await this.#linkOf(sessionId).link(number, name ?? null);
    return { sessionId };
  }

  /** The phone whose number asked for a pairing code types it in (case and dashes do not matter). */
  async enterPairingCode(code: string, name?: string | null): Promise<{ sessionId: string }> {
    const pending = this.#pendingCodes.get(code.toUpperCase().replace(/[\s-]/g, ''));
    if (!pending) throw new AppError('not_found', 'No pending pairing for this code: expired or mistyped');
    this.withdrawPairing(pending.sessionId);
    await this.#linkOf(pending.sessionId).link(pending.phoneNumber, name ?? null);
    return { sessionId: pending.sessionId };
  }

  /** The link goes dead: still "connected", but no answers, then a timeout (see EmulatedConnection). */
  phoneOffline(sessionId: string): void {
    this.#offline.add(sessionId);
    this.#links.get(sessionId)?.onlineChanged();
  }

  phoneOnline(sessionId: string): void {
    this.#offline.delete(sessionId);
    this.#links.get(sessionId)?.onlineChanged();
  }

  /** The device is removed from the phone's linked devices. */
  async loggedOut(sessionId: string): Promise<void> {
    await this.#linkOf(sessionId).unlink();
  }

  /** A contact writes to the linked number; held (delivered: false) while the link is dead. */
  inbound(sessionId: string, play: InboundPlay): { waMessageId: string; delivered: boolean } {
    const from = numberOrFail(play.from);
    const type = play.reaction ? 'reaction' : play.location ? 'location' : (play.type ?? 'text');
    if (type === 'text' && !play.text) throw new AppError('validation_failed', 'A text message needs text');
    const message: InboundDeviceMessage = {
      waMessageId: newMessageId(),
      from,
      pushName: play.pushName ?? null,
      type,
      text: type === 'text' ? (play.text ?? null) : null,
      ...(play.reaction ? { reaction: play.reaction } : {}),
      ...(play.location ? { location: play.location } : {}),
      timestamp: this.clock.now(),
    };
    return { waMessageId: message.waMessageId, delivered: this.#linkOf(sessionId).deliver(message) };
  }

  sent(sessionId: string): readonly SentDeviceMessage[] {
    return [...(this.#sent.get(sessionId) ?? [])];
  }

  #linkOf(sessionId: string): EmulatedLink {
    const link = this.#links.get(sessionId);
    if (!link) throw new AppError('not_found', `Session ${sessionId} has no connection in this hub process`);
    return link;
  }
}

function numberOrFail(input: string): string {
  const number = digitsOnly(input);
  if (!number) throw new AppError('validation_failed', `Not a phone number: ${JSON.stringify(input)}`);
  return number;
}
