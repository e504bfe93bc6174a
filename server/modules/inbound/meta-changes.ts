import type { EventType } from '../../../shared/events.ts';

/** One `entry[].changes[]` item of a Meta webhook, with the WABA it came from. */
export interface MetaChange {
  wabaId: string;
  field: string;
  value: Record<string, unknown>;
}

interface MetaPayload {
  object?: unknown;
  entry?: { id?: unknown; changes?: { field?: unknown; value?: unknown }[] }[];
}

/** Flattens a payload into its changes; anything malformed is skipped, never thrown on. */
export function changesOf(payload: unknown): MetaChange[] {
  const entries = (payload as MetaPayload | null)?.entry;
  if (!Array.isArray(entries)) return [];
  const out: MetaChange[] = [];
  for (const entry of entries) {
    if (!entry || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes) {
      if (!change || typeof change.field !== 'string') continue;
      if (!change.value || typeof change.value !== 'object' || Array.isArray(change.value)) continue;
      out.push({
        wabaId: String(entry.id ?? ''),
        field: change.field,
        value: change.value as Record<string, unknown>,
      });
    }
  }
  return out;
}

/** The phone number a `messages` change is about (Meta puts it in `value.metadata`). */
export function phoneNumberIdOf(change: MetaChange): string | undefined {
  const id = (change.value.metadata as { phone_number_id?: unknown } | undefined)?.phone_number_id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

export function messageEventType(change: MetaChange): EventType {
  if (Array.isArray(change.value.messages)) return 'message.received';
  if (Array.isArray(change.value.statuses)) return 'message.status';
  return 'message.update';
}
