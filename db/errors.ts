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

export function pgErrorCode(err: unknown): string | undefined {
  return driverError(err)?.code;
}

/** True for a unique violation (optionally of one named constraint). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = driverError(err);
  if (e?.code !== '23505') return false;
  return !constraint || (e.constraint ?? e.constraint_name) === constraint;
}

/** True for a foreign-key violation: the row points at something that is not there. */
export function isForeignKeyViolation(err: unknown): boolean {
  return driverError(err)?.code === '23503';
}
