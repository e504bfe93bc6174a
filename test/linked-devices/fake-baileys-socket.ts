import { EventEmitter } from 'node:events';
import { Boom } from '@hapi/boom';
import {
  type AnyMessageContent,
  type BaileysEventMap,
  type BinaryNode,
  type ConnectionState,
  type Contact,
  DisconnectReason,
  makeEventBuffer,
  type UserFacingSocketConfig,
  type WAMessage,
} from 'baileys';
import { pino } from 'pino';
import type { BaileysSocket } from '../../server/linked-devices/baileys/socket.ts';

/**
 * A Baileys socket without WhatsApp: its `ev` is Baileys' own event buffer (the emitter
 * `makeWASocket` hands out), and everything it emits is typed by Baileys' `BaileysEventMap`, so a
 * change in the library's event shapes breaks this file's compilation, not production.
 */
export class FakeBaileysSocket implements BaileysSocket {
  readonly ev = makeEventBuffer(pino({ level: 'silent' }));
  readonly ws = new EventEmitter();
  user: Contact | undefined;
  readonly sent: { jid: string; content: AnyMessageContent }[] = [];
  readonly pairingRequests: string[] = [];
  /** What `query` does with a ping: answer, hang (a dead socket), or resolve undefined (Baileys' own timeout). */
  pingAnswer: 'answer' | 'hang' | 'undefined' = 'answer';
  loggedOut = false;
  ended = false;

  readonly config: UserFacingSocketConfig;

  constructor(config: UserFacingSocketConfig) {
    this.config = config;
  }

  emit<T extends keyof BaileysEventMap>(event: T, data: BaileysEventMap[T]): void {
    this.ev.emit(event, data);
  }

  connection(update: Partial<ConnectionState>): void {
    this.emit('connection.update', update);
  }

  /** Like the server accepting the login: Baileys sets `me` before reporting the connection open. */
  open(user: Contact): void {
    this.user = user;
    this.connection({ connection: 'open' });
  }

  /** How Baileys closes: a Boom carrying a `DisconnectReason` status, or no error when asked to end. */
  close(statusCode: DisconnectReason | undefined): void {
    const error = statusCode === undefined ? undefined : new Boom('closed', { statusCode });
    this.connection({ connection: 'close', lastDisconnect: { error, date: new Date() } });
  }

  /** Baileys updates `authState.creds` in place, then tells listeners what changed. */
  updateCreds(update: BaileysEventMap['creds.update']): void {
    Object.assign(this.config.auth.creds, update);
    this.emit('creds.update', update);
  }

  upsert(messages: WAMessage[], type: 'notify' | 'append' = 'notify'): void {
    this.emit('messages.upsert', { messages, type });
  }

  async sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage> {
    this.sent.push({ jid, content });
    return { key: { remoteJid: jid, fromMe: true, id: `3EB0${this.sent.length}` } };
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.pairingRequests.push(phoneNumber);
    return 'ABCD2345';
  }

  // biome-ignore lint/suspicious/noExplicitAny: Baileys declares query's answer as `any`.
  query(node: BinaryNode, _timeoutMs?: number): Promise<any> {
    const isPing =
      node.attrs.xmlns === 'w:p' && Array.isArray(node.content) && node.content[0]?.tag === 'ping';
    if (!isPing) return Promise.reject(new Error(`unexpected query ${JSON.stringify(node)}`));
    if (this.pingAnswer === 'hang') return new Promise(() => {});
    if (this.pingAnswer === 'undefined') return Promise.resolve(undefined);
    return Promise.resolve({ tag: 'iq', attrs: { type: 'result', from: 's.whatsapp.net' } });
  }

  async logout(): Promise<void> {
    this.loggedOut = true;
    this.close(DisconnectReason.loggedOut);
  }

  async end(error: Error | undefined): Promise<void> {
    this.ended = true;
    this.connection({ connection: 'close', lastDisconnect: { error, date: new Date() } });
  }
}
