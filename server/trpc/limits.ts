/** Largest tRPC request body: the dashboard's inputs are a few hundred bytes. */
export const TRPC_MAX_BODY_BYTES = 64 * 1024;
/** Most calls in one batched request; the dashboard's client batches at most this many (`app/_trpc/client.tsx`). */
export const TRPC_MAX_BATCH = 16;
