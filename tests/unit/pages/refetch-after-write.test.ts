import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { refetchAfterWrite } from '@/app/_trpc/refetch';

/**
 * A list whose first read is still on its way when the page writes to it (a coach clicks "Invite" before the
 * invitations have loaded). The first read took its rows before the write; the refresh must read again.
 */
async function listAfterEarlyWrite(refresh: (client: QueryClient) => Promise<unknown>): Promise<string[]> {
  const rows = ['old'];
  let reads = 0;
  let releaseFirstRead!: () => void;
  const firstReadHeld = new Promise<void>((resolve) => {
    releaseFirstRead = resolve;
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const observer = new QueryObserver<string[]>(client, {
    queryKey: ['invites'],
    queryFn: async () => {
      const taken = [...rows];
      if (++reads === 1) await firstReadHeld;
      return taken;
    },
  });
  const unsubscribe = observer.subscribe(() => {});
  try {
    rows.push('new');
    const refreshed = refresh(client);
    releaseFirstRead();
    await refreshed;
    return client.getQueryData<string[]>(['invites']) ?? [];
  } finally {
    unsubscribe();
    client.clear();
  }
}

describe('refetchAfterWrite', () => {
  it('shows the write even when the first read was in flight', async () => {
    expect(await listAfterEarlyWrite((c) => refetchAfterWrite(c, ['invites']))).toEqual(['old', 'new']);
  });

  it('without keys, reads every query again', async () => {
    expect(await listAfterEarlyWrite((c) => refetchAfterWrite(c))).toEqual(['old', 'new']);
  });

  it('negative control: a bare invalidation hands back the read from before the write', async () => {
    expect(await listAfterEarlyWrite((c) => c.invalidateQueries({ queryKey: ['invites'] }))).toEqual(['old']);
  });
});
