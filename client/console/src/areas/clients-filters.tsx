import { type ReactNode, useState } from 'react';
import { Button } from '../ui/form.tsx';

/** Filter values as typed; empty ones are left out of the query. */
export type Filters = Record<string, string>;

/** The query input of the filters that are set (a date `2026-12-04` as the start of that day, UTC). */
export function filterInput(filters: Filters, dates: readonly string[] = []): Record<string, string> {
  const input: Record<string, string> = {};
  for (const [name, value] of Object.entries(filters)) {
    const trimmed = value.trim();
    if (!trimmed) continue;
    input[name] = dates.includes(name) ? `${trimmed}T00:00:00Z` : trimmed;
  }
  return input;
}

/**
 * A filter form: controls edit a draft, "Apply" (or Enter) makes it the list's query, "Clear"
 * empties it. Lists refetch only on Apply, not on each keystroke.
 */
export function useFilters(initial: Filters) {
  const [draft, setDraft] = useState(initial);
  const [applied, setApplied] = useState(initial);
  const set = (name: string) => (value: string) => setDraft((d) => ({ ...d, [name]: value }));
  return {
    draft,
    applied,
    set,
    apply: () => setApplied(draft),
    clear: () => {
      setDraft(initial);
      setApplied(initial);
    },
  };
}

export function FilterForm({
  label,
  onApply,
  onClear,
  children,
}: {
  label: string;
  onApply: () => void;
  onClear: () => void;
  children: ReactNode;
}) {
  return (
    <search aria-label={label}>
      <form
        className="toolbar filters"
        onSubmit={(e) => {
          e.preventDefault();
          onApply();
        }}
      >
        {children}
        <Button type="submit">Apply</Button>
        <Button variant="secondary" onClick={onClear}>
          Clear
        </Button>
      </form>
    </search>
  );
}

export const anyOf = (values: readonly string[], any = 'Any'): [string, string][] => [
  ['', any],
  ...values.map((v) => [v, v.replaceAll('_', ' ')] as [string, string]),
];
