import 'server-only';
import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { headers } from 'next/headers';
import { cache, type ReactNode } from 'react';
import { createTrpcContext } from '@/server/trpc/context';
import { appRouter } from '@/server/trpc/root';
import { makeQueryClient } from './query-client';

/** Server components prefetch through the router in-process (no HTTP hop), then hand the cache to the client. */
export const getQueryClient = cache(makeQueryClient);
const getContext = cache(async () => createTrpcContext({ headers: await headers() }));

export const trpc = createTRPCOptionsProxy({ ctx: getContext, router: appRouter, queryClient: getQueryClient });

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
