import { useInfiniteQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Button, FormError } from '../ui/form.tsx';
import { ErrorState, Loading } from '../ui/states.tsx';

interface Paged {
  next_cursor: string | null;
}

/**
 * A keyset-paginated list: the first page, then one more per "Load more". The key names the
 * procedure first (as `useApiQuery` keys do), so mutations invalidate it the same way.
 */
export function usePagedList<P extends Paged>(
  key: readonly unknown[],
  fetchPage: (cursor: string | undefined) => Promise<P>,
) {
  return useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

type PagedQuery<P extends Paged> = ReturnType<typeof usePagedList<P>>;

/**
 * The list's states: loading, error (with retry), and its rows once there, followed by a
 * "Load more" button while there are more pages, and a live count for screen readers.
 */
export function PagedView<P extends Paged, T>({
  query,
  itemsOf,
  noun,
  children,
}: {
  query: PagedQuery<P>;
  itemsOf: (page: P) => T[];
  /** Singular and plural, for the count: ["client", "clients"]. */
  noun: readonly [string, string];
  children: (items: T[]) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.error && !query.data) return <ErrorState error={query.error} retry={() => query.refetch()} />;
  const items = (query.data?.pages ?? []).flatMap(itemsOf);
  const [one, many] = noun;
  return (
    <>
      {children(items)}
      <div className="paging">
        <p className="muted" aria-live="polite">
          {items.length} {items.length === 1 ? one : many} shown
          {query.hasNextPage ? '' : items.length > 1 ? ', all of them' : ''}
        </p>
        {query.hasNextPage ? (
          <Button variant="secondary" busy={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
            Load more {many}
          </Button>
        ) : null}
      </div>
      {query.isFetchNextPageError ? <FormError error={query.error} /> : null}
    </>
  );
}
