import type { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { parseJsonText, readBodyText, strictQueryParam } from '@/server/http/body';
import { ApiError, knownError } from '@/server/http/errors';
import { refuseCrossSite } from '@/server/http/same-site';
import { createTrpcContext } from './context';
import { trpcErrorOf } from './init';
import { TRPC_MAX_BATCH, TRPC_MAX_BODY_BYTES } from './limits';
import { appRouter } from './root';

/** The request as tRPC should see it: its input read and checked exactly like a REST body. */
async function guarded(request: Request): Promise<Request> {
  refuseCrossSite(request);
  if (request.method === 'POST') {
    const raw = await readBodyText(request, TRPC_MAX_BODY_BYTES);
    if (raw !== '') parseJsonText(raw, 'The tRPC input');
    return new Request(request.url, { method: 'POST', headers: request.headers, body: raw });
  }
  const input = strictQueryParam(new URL(request.url), 'input');
  if (input !== undefined) parseJsonText(input, 'The tRPC input');
  return request;
}

/** The longest Retry-After among a response's errors (rate limits, database unavailable). */
function retryAfterSeconds(errors: readonly TRPCError[]): number | undefined {
  const waits = errors
    .map((e) => (e.cause instanceof ApiError ? Number(e.cause.headers?.['retry-after'] ?? 0) : 0))
    .filter((s) => s > 0);
  return waits.length ? Math.max(...waits) : undefined;
}

/**
 * The tRPC endpoint: input guarded like REST input (size, UTF-8, NUL and lone surrogates), batches capped,
 * cross-site mutations refused, unexpected errors logged here and answered without detail.
 */
export async function handleTrpcRequest(request: Request): Promise<Response> {
  let refusal: ApiError | undefined;
  let req = request;
  try {
    req = await guarded(request);
  } catch (err) {
    const known = knownError(err);
    if (!known) throw err;
    refusal = known;
    req = new Request(request.url, { method: request.method, headers: request.headers });
  }
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    maxBatchSize: TRPC_MAX_BATCH,
    createContext: async () => {
      if (refusal) throw trpcErrorOf(refusal);
      try {
        return await createTrpcContext({ headers: request.headers });
      } catch (err) {
        const known = knownError(err);
        throw known ? trpcErrorOf(known) : err;
      }
    },
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        console.error(`tRPC ${path ?? '(request)'} failed:`, error.cause ?? error);
    },
    responseMeta: ({ errors }) => {
      const wait = retryAfterSeconds(errors);
      return wait === undefined ? {} : { headers: new Headers({ 'retry-after': String(wait) }) };
    },
  });
}
