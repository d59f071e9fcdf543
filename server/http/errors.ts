import type { z } from 'zod';
import { isConnectionError } from '@/db/errors';
import { JwksUnavailableError } from '@/server/auth/jwt';
import type { ErrorBody } from '@/server/contracts/errors';
import { ModelUnavailableError } from '@/server/learning/model';

export interface FieldIssue {
  path: string;
  message: string;
}

/** An error with an HTTP status the client can act on; anything else becomes a 500 that says nothing. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: FieldIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}

/** Seconds a client is asked to wait when the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

export const databaseUnavailable = () =>
  new ApiError(503, 'database_unavailable', 'The database is not reachable right now; retry shortly.', undefined, {
    'retry-after': String(DATABASE_RETRY_AFTER_SECONDS),
  });

/**
 * The error a client should see, when it is one it can act on: ours, the database being away (503), a
 * configured model that cannot serve (503: the jobs wait until the configuration names one that can), or the
 * identity provider's keys out of reach (503: the JWT may well be good).
 */
export function knownError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (isConnectionError(err)) return databaseUnavailable();
  if (err instanceof ModelUnavailableError) return new ApiError(503, 'policy_unavailable', err.message);
  if (err instanceof JwksUnavailableError) {
    return new ApiError(503, 'identity_provider_unavailable', err.message, undefined, { 'retry-after': '5' });
  }
  return undefined;
}

export const badRequest = (message: string, issues?: FieldIssue[]) => new ApiError(400, 'bad_request', message, issues);
export const notFound = (what: string, path?: string) =>
  new ApiError(404, 'not_found', `${what} not found`, path ? [{ path, message: `${what} not found` }] : undefined);
export const forbidden = (message: string, path?: string) =>
  new ApiError(403, 'forbidden', message, path ? [{ path, message }] : undefined);
export const conflict = (message: string, path?: string) =>
  new ApiError(409, 'conflict', message, path ? [{ path, message }] : undefined);

/** `sets[2].actual_reps`: the path a client developer would write. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

type Issue = z.core.$ZodIssue;

function flatten(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: formatPath([...path, key]), message: 'is not a known field' });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the alternative the body came closest to (fewest problems), not every branch at once.
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0]!;
      out.push(...flatten(closest, path));
    } else {
      const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
      out.push({ path: formatPath(path) || '(body)', message });
    }
  }
  return out;
}

const WHERE = { body: 'request body', query: 'query parameter', path: 'path parameter' } as const;

export function validationError(error: z.ZodError, where: keyof typeof WHERE): ApiError {
  const issues = flatten(error.issues);
  const first = issues[0]!;
  return new ApiError(400, 'validation_failed', `Invalid ${WHERE[where]}: ${first.path} ${first.message}`, issues);
}
