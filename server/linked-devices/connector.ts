/**
 * Linked-device channels (issue 20): a WhatsApp number paired as a linked device over an
 * unofficial WhatsApp Web connection. The hub talks to one through this interface only: the
 * Baileys adapter implements it in production (`baileys/`), the device emulator in sandbox mode
 * (`sandbox/`). Nothing here is reachable until an operator enables linked devices.
 */

/** An inbound message as the hub relays it, whatever the connection. */
export interface InboundDeviceMessage {
  /** The connection's own message id (Baileys' `key.id`). */
  waMessageId: string;
  /** The sender's number, digits only with the country code. */
  from: string;
  pushName: string | null;
  /** `text` for conversation and extended text; the message type's name otherwise (`image`, …). */
  type: string;
  text: string | null;
  /** `reaction`: the message reacted to, and the emoji (null: the reaction was removed). */
  reaction?: { messageId: string; emoji: string | null };
  /** `location`: a pinned location (not a live one). */
  location?: { latitude: number; longitude: number; name: string | null; address: string | null };
  timestamp: Date;
}

/** Why a connection closed, and whether the connector will try again by itself. */
export interface DisconnectReason {
  /** Stable, lower-case: `connection_lost`, `timed_out`, `restart_required`, `replaced`, … */
  code: string;
  /** False only when the device was unlinked (then `loggedOut` follows) or the caller closed it. */
  willReconnect: boolean;
}

/** What a connection reports. Handlers must not throw; they may be async (the connector does not wait). */
export interface DeviceEvents {
  /** A new QR payload to show (the string a QR code encodes); each one replaces the last. */
  qr(code: string): void;
  /** A pairing code for the phone number given to `connect`, typed on the phone instead of scanning. */
  pairingCode(code: string): void;
  /** The phone accepted the pairing (or stored credentials are being used): the link is being set up. */
  connecting(): void;
  /** Online: `phoneNumber` is the linked number, digits only. */
  connected(me: { phoneNumber: string; name: string | null }): void;
  disconnected(reason: DisconnectReason): void;
  /** The device was unlinked from the phone (or logged out): the stored credentials are void. */
  loggedOut(): void;
  message(message: InboundDeviceMessage): void;
  /** Any frame from the server: the liveness view's "last seen". */
  activity(at: Date): void;
}

/**
 * Where a connection keeps its credentials and keys between runs and processes: PostgreSQL,
 * sealed with the hub's SecretBox, never files. Values are opaque strings to the store.
 */
export interface DeviceAuthStore {
  read(category: string, ids: readonly string[]): Promise<Map<string, string>>;
  /** `null` deletes. All entries of one call are written in one transaction. */
  write(entries: readonly { category: string; id: string; value: string | null }[]): Promise<void>;
  /** Forgets everything (after a logout): the next connection pairs again. */
  clear(): Promise<void>;
}

export interface DeviceConnection {
  /** `to`: digits with the country code, or a full JID. Refused unless connected. */
  sendText(to: string, text: string): Promise<{ waMessageId: string }>;
  /**
   * A round trip to the server: true when it answered within `timeoutMs`. Tells "connected"
   * from "connected but dead" (a socket that stopped receiving without closing).
   */
  probe(timeoutMs: number): Promise<boolean>;
  /** Unlinks the device (the phone's linked devices list loses it) and clears the store. */
  logout(): Promise<void>;
  /** Closes the socket without unlinking: another process may connect with the stored credentials. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  sessionId: string;
  auth: DeviceAuthStore;
  events: DeviceEvents;
  /** When set, ask for a pairing code for this number (digits) instead of QR codes. */
  pairingPhoneNumber?: string | undefined;
}

export interface DeviceConnector {
  connect(options: ConnectOptions): Promise<DeviceConnection>;
}
