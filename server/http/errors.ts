import { isConnectionError } from '@/db/errors';
import type { ErrorBody } from '@/server/contracts/errors';
import { DomainError, type FailureKind, type FieldIssue, formatPath, validationError } from '@/server/errors';

export type { FieldIssue };
export { formatPath, validationError };

/**
 * An error of the transport with an HTTP status the client can act on (a body that is not JSON, a missing
 * If-Match, too many requests); a domain's `DomainError` becomes one here; anything else becomes a 500 that says
 * nothing.
 */
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

const databaseUnavailable = () =>
  new ApiError(503, 'database_unavailable', 'The database is not reachable right now; retry shortly.', undefined, {
    'retry-after': String(DATABASE_RETRY_AFTER_SECONDS),
  });

/** Each kind of domain failure, as an HTTP status: the one table. */
const STATUS: Record<FailureKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  stale: 412,
  unprocessable: 422,
  unavailable: 503,
};

function fromDomain(err: DomainError): ApiError {
  const { retryAfterSeconds, currentVersion, invalidCredential } = err.detail;
  const headers: Record<string, string> = {
    ...(retryAfterSeconds !== undefined ? { 'retry-after': String(retryAfterSeconds) } : {}),
    ...(currentVersion !== undefined ? { etag: `"${currentVersion}"` } : {}),
    ...(err.kind === 'unauthenticated'
      ? { 'www-authenticate': invalidCredential ? 'Bearer error="invalid_token"' : 'Bearer' }
      : {}),
  };
  return new ApiError(STATUS[err.kind], err.code, err.message, err.issues, headers);
}

/**
 * The error a client should see, when it is one it can act on: the transport's, a domain's (its kind as a status),
 * or the database being away (503). Anything else is a fault of ours: a 500 that says nothing.
 */
export function knownError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof DomainError) return fromDomain(err);
  if (isConnectionError(err)) return databaseUnavailable();
  return undefined;
}

export const badRequest = (message: string, issues?: FieldIssue[]) => new ApiError(400, 'bad_request', message, issues);
