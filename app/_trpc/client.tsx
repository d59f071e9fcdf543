'use client';

import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { type ReactNode, useState } from 'react';
import { z } from 'zod';
import { TRPC_MAX_BATCH } from '@/server/trpc/limits';
import type { AppRouter } from '@/server/trpc/root';
import { makeQueryClient } from './query-client';

// In the browser zod must not probe for eval (its JIT): the CSP forbids it, and even the caught probe is
// reported as a violation. Forms validate with the same schemas, interpreted.
if (typeof window !== 'undefined') z.config({ jitless: true });

const trpcContext = createTRPCContext<AppRouter>();
const { TRPCProvider } = trpcContext;
export const useTRPC = trpcContext.useTRPC;
export type Outputs = inferRouterOutputs<AppRouter>;

let browserQueryClient: QueryClient | undefined;
function getQueryClient() {
  // A fresh client per server render; one for the whole life of the browser tab.
  if (typeof window === 'undefined') return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/api/trpc', maxItems: TRPC_MAX_BATCH })] }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
