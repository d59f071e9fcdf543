import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { Db } from '@/db/client';
import type { Caller } from '@/server/auth/credentials';
import { authorize, type Principal } from '@/server/auth/principal';
import { ApiError, formatPath, knownError } from '@/server/http/errors';
import { enforceRateLimit } from '@/server/http/rate-limit';

export interface TrpcContext {
  db: Db;
  caller: Caller | null;
  now: Date;
  /** Per-request memo: a batch of dashboard queries reads the same analytics once. */
  memo?: Map<string, Promise<unknown>>;
}

export function memoized<T>(ctx: TrpcContext, key: string, load: () => Promise<T>): Promise<T> {
  ctx.memo ??= new Map();
  if (!ctx.memo.has(key)) ctx.memo.set(key, load());
  return ctx.memo.get(key) as Promise<T>;
}

/** Field-level issues travel like the REST API's: a path and a message per field. */
function issuesOf(cause: unknown): { path: string; message: string }[] | undefined {
  if (cause instanceof ApiError) return cause.issues;
  if (cause instanceof ZodError) return cause.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  return undefined;
}

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error }) {
    // An unexpected error says nothing about itself (no SQL, no parameters); the adapter logs it.
    const unexpected = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      message: unexpected ? 'Something went wrong on our side.' : shape.message,
      data: { ...shape.data, stack: undefined, issues: unexpected ? undefined : issuesOf(error.cause) },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const CODES: Partial<Record<number, TRPC_ERROR_CODE_KEY>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  410: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** Maps an error a service threw to tRPC's codes, keeping its message and field issues. */
export function trpcErrorOf(cause: ApiError): TRPCError {
  return new TRPCError({ code: CODES[cause.status] ?? 'INTERNAL_SERVER_ERROR', message: cause.message, cause });
}

/** Service errors keep their meaning over tRPC; so does the database being away (503). */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  const known = result.ok ? undefined : knownError(result.error.cause);
  if (known) throw trpcErrorOf(known);
  return result;
});

const publicProcedure = t.procedure.use(mapErrors);

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.caller) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  const { principal } = ctx.caller;
  // Every call counts, batched or not: a batch of ten queries costs the server ten reads.
  await enforceRateLimit(`user:${principal.userId}`);
  return next({ ctx: { ...ctx, principal } });
});

/** Only a person signed in to the dashboard: never a bearer API token or an identity provider's JWT. */
export const sessionProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.caller?.kind !== 'session') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Sign in to the dashboard to do this: a bearer token may not.' });
  }
  return next({ ctx: { ...ctx, signedInWith: ctx.caller.signedInWith ?? null } });
});

export const coachProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.principal.role !== 'coach') throw new TRPCError({ code: 'FORBIDDEN', message: 'Coaches only.' });
  return next();
});

export const researcherProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.principal.role !== 'researcher') throw new TRPCError({ code: 'FORBIDDEN', message: 'Researchers only.' });
  return next();
});

/** The user a read is about: yourself by default, or an athlete you coach. */
export async function readableSubject(
  ctx: TrpcContext & { principal: Principal },
  userId: string | undefined,
): Promise<string> {
  const subject = userId ?? ctx.principal.userId;
  await authorize(ctx.db, ctx.principal, 'read', subject, 'userId');
  return subject;
}
