/**
 * `work`'s result, or `late()` when it has not settled within `ms` (the timer is cleared either
 * way and never keeps the process alive). `work` is not cancelled: a caller that must not wait
 * on it for good (a hung socket, a pool that never closes) goes on without it.
 */
export async function within<T>(work: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const overran = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late()), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, overran]);
  } finally {
    clearTimeout(timer);
  }
}
