import type { MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import { type LoggedMessage, logMessages, markInboundRead } from './message-log.ts';

function parseObject(bytes: Buffer): Record<string, unknown> | null {
  if (bytes.length > MAX_ANSWER_BYTES) return null;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
/** Meta's answer to a send is a few hundred bytes; anything larger is not one to log. */
const MAX_ANSWER_BYTES = 64 * 1024;
const first = (v: unknown): Record<string, unknown> | undefined =>
  Array.isArray(v) && v[0] && typeof v[0] === 'object' ? (v[0] as Record<string, unknown>) : undefined;
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

type Answer = { status: number; body: Buffer };
type SendEntry = { message: LoggedMessage } | { read: { channelId: string; wamid: string } } | null;

/**
 * What a call of `/waba/messages` adds to the log, from the request and Meta's answer: a message
 * Meta accepted (`messages[0].id`), or a customer's message marked as read. Refused sends are
 * not messages.
 */
export function entryOfSend(
  channelId: string,
  sent: Record<string, unknown>,
  response: { status: number; body: Buffer },
  now: Date,
): SendEntry {
  if (response.status < 200 || response.status >= 300) return null;
  if (sent.status === 'read') {
    const wamid = str(sent.message_id);
    return wamid ? { read: { channelId, wamid } } : null;
  }
  const answer = parseObject(response.body);
  const accepted = first(answer?.messages);
  const wamid = str(accepted?.id);
  if (!wamid) return null;
  return {
    message: {
      channelId,
      direction: 'outbound',
      wamid,
      contact: str(first(answer?.contacts)?.wa_id) ?? str(sent.to) ?? str(sent.recipient),
      type: str(sent.type) ?? 'text',
      source: 'api',
      status: str(accepted?.message_status) ?? 'accepted',
      sentAt: now,
      payload: sent,
    },
  };
}

/**
 * Logs sends after their answers went out, in batches: one statement per `maxDelayMs` (or per
 * `maxBatch` sends) instead of one per message, so a busy proxy spends no query per send and a
 * send never waits for the log. What a crash loses (at most the last batch) comes back with the
 * message's first status, which starts its row (see applyStatuses). 250 ms rather than less:
 * each statement costs PostgreSQL ~0.7 ms besides its rows (~25 µs each), so at 1,000 sends/s a
 * row costs ~42 µs in batches of 50 (50 ms) and ~25 µs in batches of 250 (docs/benchmarks.md).
 */
export class OutboundLog {
  readonly #deps: { orm: MikroORM; clock: Clock; logger: Logger };
  readonly #maxDelayMs: number;
  readonly #maxBatch: number;
  #pending: { channelId: string; sent: Record<string, unknown>; response: Answer; at: Date }[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: { orm: MikroORM; clock: Clock; logger: Logger }, maxDelayMs = 250, maxBatch = 500) {
    this.#deps = deps;
    this.#maxDelayMs = maxDelayMs;
    this.#maxBatch = maxBatch;
  }

  /** Queues a send (its parsed request and Meta's answer); the work happens at the flush. */
  add(channelId: string, sent: Record<string, unknown>, response: Answer): void {
    if (response.status < 200 || response.status >= 300) return;
    this.#pending.push({ channelId, sent, response, at: this.#deps.clock.now() });
    if (this.#pending.length >= this.#maxBatch) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#maxDelayMs).unref();
  }

  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const queued = this.#pending;
    this.#pending = [];
    const batch = queued.flatMap((q) => {
      const entry = entryOfSend(q.channelId, q.sent, q.response, q.at);
      return entry ? [entry] : [];
    });
    if (batch.length === 0) return;
    const em = this.#deps.orm.em.fork();
    const now = this.#deps.clock.now();
    try {
      await logMessages(
        em,
        now,
        batch.flatMap((e) => ('message' in e ? [e.message] : [])),
      );
      for (const e of batch) if ('read' in e) await markInboundRead(em, now, e.read.channelId, e.read.wamid);
    } catch (err) {
      this.#deps.logger.warn({ err, messages: batch.length }, 'could not log sent messages');
    }
  }
}
