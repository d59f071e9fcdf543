import { initTRPC, TRPCError } from '@trpc/server';
import type { Db } from '@/db/client';
import { canRead, type Principal } from '@/server/auth/principal';
import { ApiError } from '@/server/http/errors';
import { enforceRateLimit } from '@/server/http/rate-limit';

export interface TrpcContext {
  db: Db;
  principal: Principal | null;
  now: Date;
  /**
   * Whose rate-limit bucket a call takes from: the bearer token's own (the same bucket its REST calls use), or
   * the web session's. In-process callers without one take from the user's.
   */
  rateKey?: string;
  /** Per-request memo: a batch of dashboard queries reads the same analytics once. */
  memo?: Map<string, Promise<unknown>>;
}

export function memoized<T>(ctx: TrpcContext, key: string, load: () => Promise<T>): Promise<T> {
  ctx.memo ??= new Map();
  if (!ctx.memo.has(key)) ctx.memo.set(key, load());
  return ctx.memo.get(key) as Promise<T>;
}

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error }) {
    // Field-level validation issues travel like the REST API's: a path and a message per field.
    const cause = error.cause as { issues?: { path: PropertyKey[]; message: string }[] } | undefined;
    return {
      ...shape,
      data: {
        ...shape.data,
        stack: undefined,
        issues:
          error.code === 'BAD_REQUEST' && cause?.issues
            ? cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
            : undefined,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Service errors keep their meaning over tRPC. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof ApiError) {
    const e = result.error.cause;
    const code = ({ 400: 'BAD_REQUEST', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 429: 'TOO_MANY_REQUESTS' } as const)[e.status as 400];
    throw new TRPCError({ code: code ?? 'INTERNAL_SERVER_ERROR', message: e.message, cause: e });
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  // Every call counts, batched or not: a batch of ten queries costs the server ten reads.
  enforceRateLimit(ctx.rateKey ?? `user:${ctx.principal.userId}`);
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});

/** The Retry-After a tRPC response should carry: the longest wait among its rate-limited calls. */
export function retryAfterSeconds(errors: readonly TRPCError[]): number | undefined {
  const waits = errors.map((e) => (e.cause instanceof ApiError ? Number(e.cause.headers?.['retry-after'] ?? 0) : 0)).filter((s) => s > 0);
  return waits.length ? Math.max(...waits) : undefined;
}

export const coachProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.principal.role !== 'coach') throw new TRPCError({ code: 'FORBIDDEN', message: 'Coaches only.' });
  return next();
});

/** The user a read is about: yourself by default, or an athlete you coach. */
export async function readableSubject(ctx: TrpcContext & { principal: Principal }, userId: string | undefined): Promise<string> {
  const subject = userId ?? ctx.principal.userId;
  if (!(await canRead(ctx.db, ctx.principal, subject))) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'You may read only your own data or that of athletes you coach.' });
  }
  return subject;
}
