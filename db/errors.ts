/**
 * Postgres error codes, read the same way from postgres.js and PGlite errors (drizzle wraps both in a
 * DrizzleQueryError whose `cause` is the driver's error).
 */
interface PgErrorLike {
  code?: string;
  constraint?: string;
  constraint_name?: string;
  cause?: unknown;
}

function driverError(err: unknown): PgErrorLike | undefined {
  let e = err as PgErrorLike | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e;
    e = e.cause as PgErrorLike | undefined;
  }
  return undefined;
}

/** True for a unique violation (optionally of one named constraint). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = driverError(err);
  if (e?.code !== '23505') return false;
  return !constraint || (e.constraint ?? e.constraint_name) === constraint;
}

/** Error codes of a connection that could not be made or was lost (postgres.js's and Node's socket errors). */
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * True when the database could not be reached, or went away mid-statement: the request can succeed later, so it
 * answers 503, not 500. SQLSTATE class 08 (connection exception), 57P01–57P03 (shutting down, crashed, starting
 * up) and 53300 (too many connections) mean the same.
 */
export function isConnectionError(err: unknown): boolean {
  let e = err as PgErrorLike | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    const code = e.code;
    if (typeof code === 'string') {
      if (CONNECTION_CODES.has(code) || code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300') {
        return true;
      }
    }
    e = e.cause as PgErrorLike | undefined;
  }
  return false;
}
