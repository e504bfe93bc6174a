import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { api } from '../api.ts';
import { QueryView } from '../ui/states.tsx';

export interface EventTypeInfo {
  type: string;
  inbound: boolean;
}

/** The hub's event catalogue (shared/events.ts), asked once per visit: it changes only with the hub. */
export function useEventTypes() {
  return useQuery({
    queryKey: ['console.webhooks.eventTypes'],
    queryFn: () => api.console.webhooks.eventTypes.query(),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** By family (`client.*`, `message.*`…), in catalogue order. */
function families(types: readonly EventTypeInfo[]): [string, EventTypeInfo[]][] {
  const byFamily = new Map<string, EventTypeInfo[]>();
  for (const t of types) {
    const family = t.type.split('.')[0]!;
    byFamily.set(family, [...(byFamily.get(family) ?? []), t]);
  }
  return [...byFamily];
}

/**
 * Every event type, or only the chosen ones. `null` is "every type" as the API has it: inbound
 * traffic (messages, WABA changes) still reaches an endpoint only when chosen by name.
 */
export function EventTypePicker({
  value,
  onChange,
}: {
  value: string[] | null;
  onChange: (value: string[] | null) => void;
}) {
  const name = useId();
  const catalogue = useEventTypes();
  const chosen = new Set(value ?? []);
  return (
    <fieldset className="event-picker">
      <legend>Events to send</legend>
      <label className="choice">
        <input type="radio" name={name} checked={value === null} onChange={() => onChange(null)} />
        Every event type (inbound messages and WABA changes only when chosen)
      </label>
      <label className="choice">
        <input type="radio" name={name} checked={value !== null} onChange={() => onChange(value ?? [])} />
        Only the event types chosen below
      </label>
      {value !== null ? (
        <QueryView query={catalogue} loading="Loading the event types…">
          {(data) => {
            const toggle = (type: string, on: boolean) => {
              const next = new Set(chosen);
              if (on) next.add(type);
              else next.delete(type);
              onChange(data.event_types.map((t) => t.type).filter((t) => next.has(t)));
            };
            return (
              <div className="event-families">
                {families(data.event_types).map(([family, types]) => (
                  <fieldset key={family} className="event-family">
                    <legend>{family}</legend>
                    {types.map((t) => (
                      <label key={t.type} className="choice">
                        <input
                          type="checkbox"
                          checked={chosen.has(t.type)}
                          onChange={(e) => toggle(t.type, e.target.checked)}
                        />
                        <code>{t.type}</code>
                        {t.inbound ? <span className="muted"> (inbound)</span> : null}
                      </label>
                    ))}
                  </fieldset>
                ))}
              </div>
            );
          }}
        </QueryView>
      ) : null}
      {value !== null && value.length === 0 ? (
        <p className="hint" role="status">
          Choose at least one event type.
        </p>
      ) : null}
    </fieldset>
  );
}

/** An endpoint's filter in a few words, for the table. */
export function describeEventTypes(types: readonly string[] | null): string {
  if (types === null) return 'Every event type';
  if (types.length <= 2) return types.join(', ');
  return `${types.slice(0, 2).join(', ')} and ${types.length - 2} more`;
}
