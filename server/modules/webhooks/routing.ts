import { isInboundEventType } from '../../../shared/events.ts';

/** What routing needs to know about a destination. */
export interface RouteTarget {
  id: string;
  channel_id: string | null;
  /** An endpoint scoped to a WABA hears only events of that WABA's channels. */
  waba_id: string | null;
  event_types: string[] | null;
}

/** What routing needs to know about an event. */
export interface RoutedEvent {
  type: string;
  channelId?: string | null;
  /** The WABA of the event's channel (looked up only when some destination is WABA-scoped). */
  wabaId?: string | null;
  /** A test ping names its one destination. */
  onlyDestinationId?: string | undefined;
}

/**
 * The one routing rule, for every kind of destination. A destination bound to a channel (or a
 * WABA) hears only that channel (or the WABA's channels). Without an event filter it receives every lifecycle event; inbound events
 * in Meta's envelope (messages, and `waba.change`) go only where their type is listed, which a
 * channel webhook does.
 */
export function routes(event: RoutedEvent, target: RouteTarget): boolean {
  if (event.onlyDestinationId) return target.id === event.onlyDestinationId;
  if (target.channel_id !== null && target.channel_id !== (event.channelId ?? null)) return false;
  if (target.waba_id !== null && target.waba_id !== (event.wabaId ?? null)) return false;
  if (target.event_types === null) return !isInboundEventType(event.type);
  return target.event_types.includes(event.type);
}
