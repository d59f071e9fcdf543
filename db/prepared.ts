import { fillPlaceholders, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './client';

/**
 * Statements for the hot paths. On PostgreSQL each is prepared once per connection and reused (drizzle prepares
 * only named queries; an unprepared statement is sent, parsed and planned on every request). Rows come back as the
 * driver builds them — the statement names its columns as the caller's type does (`as "weekStart"`) — so no
 * per-row mapping follows. The driver client is the session's own, so this works inside a transaction too.
 * PGlite has no round trip to save and just runs the statement.
 */

const dialect = new PgDialect();

// Dates and times stay the strings PostgreSQL sends, as drizzle configures both drivers for its own queries.
const PGLITE_TEXT_TYPES = [1082, 1083, 1114, 1184, 1186, 1182, 1115, 1185, 1187, 1231];
const pgliteOptions = { parsers: Object.fromEntries(PGLITE_TEXT_TYPES.map((t) => [t, (v: string) => v])) };

type DriverClient =
  | { unsafe(query: string, params: unknown[], options: { prepare: boolean }): Promise<unknown[]> }
  | { query(query: string, params: unknown[], options: typeof pgliteOptions): Promise<{ rows: unknown[] }> };

async function run<T>(db: Db, text: string, params: unknown[]): Promise<T[]> {
  // drizzle keeps the driver client (or the transaction's) on the session; pinned drizzle version, tested on both drivers.
  const client = (db as unknown as { session: { client: DriverClient } }).session.client;
  if ('unsafe' in client) return (await client.unsafe(text, params, { prepare: true })) as T[];
  return (await client.query(text, params, pgliteOptions)).rows as T[];
}

/** Runs a statement built per call (its values inline), prepared on PostgreSQL by its text. */
export function preparedRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return run<T>(db, text, params);
}

/**
 * A statement built once, its values `sql.placeholder(name)`s filled per call: neither drizzle's builder nor
 * the SQL text is made again per request. `build` gets the first caller's database for drizzle's query builder;
 * the text it makes does not depend on it.
 */
export function preparedStatement<T extends object, V extends Record<string, unknown>>(
  build: (db: Db) => SQL,
): (db: Db, values: V) => Promise<T[]> {
  let built: { sql: string; params: unknown[] } | undefined;
  return (db, values) => {
    built ??= dialect.sqlToQuery(build(db));
    return run<T>(db, built.sql, fillPlaceholders(built.params, values));
  };
}
