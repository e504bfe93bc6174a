import { useState } from 'react';
import { Button } from '../ui/form.tsx';

/**
 * Keyset pages walked forwards and back: the cursors of the pages seen so far are kept, since
 * the hub's cursors only go forwards (newest first).
 */
export function useCursorPages() {
  const [stack, setStack] = useState<string[]>([]);
  return {
    cursor: stack.at(-1),
    number: stack.length + 1,
    next: (cursor: string) => setStack([...stack, cursor]),
    previous: () => setStack(stack.slice(0, -1)),
    reset: () => setStack([]),
  };
}

export function Pager({
  pages,
  next,
  label,
}: {
  pages: ReturnType<typeof useCursorPages>;
  next: string | null;
  label: string;
}) {
  if (pages.number === 1 && !next) return null;
  return (
    <nav className="pager" aria-label={label}>
      <Button variant="secondary" disabled={pages.number === 1} onClick={pages.previous}>
        Previous page
      </Button>
      <span aria-live="polite">Page {pages.number}</span>
      <Button variant="secondary" disabled={!next} onClick={() => next && pages.next(next)}>
        Next page
      </Button>
    </nav>
  );
}
