import type { QueryClient, QueryKey } from '@tanstack/react-query';

/**
 * Reads queries again after a write; no keys: every query. A first read still in flight began before the write,
 * and react-query hands that read back rather than fetching anew, so it is cancelled first: the list shows what
 * was just written.
 */
export async function refetchAfterWrite(queryClient: QueryClient, ...queryKeys: QueryKey[]): Promise<void> {
  const filters = queryKeys.length ? queryKeys.map((queryKey) => ({ queryKey })) : [{}];
  await Promise.all(filters.map((f) => queryClient.cancelQueries(f)));
  await Promise.all(filters.map((f) => queryClient.invalidateQueries(f)));
}
