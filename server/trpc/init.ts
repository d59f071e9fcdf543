import { initTRPC, TRPCError } from '@trpc/server';
import type { Db } from '@/db/client';
import { canRead, type Principal } from '@/server/auth/principal';
import { ApiError } from '@/server/http/errors';

export interface TrpcContext {
  db: Db;
  principal: Principal | null;
  now: Date;
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
    const code = ({ 400: 'BAD_REQUEST', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT' } as const)[e.status as 400];
    throw new TRPCError({ code: code ?? 'INTERNAL_SERVER_ERROR', message: e.message, cause: e });
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});

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
