import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * Column names for an insert's list, a conflict target or an update's `set` (unqualified, as SQL wants them
 * there), taken from drizzle's schema objects so a renamed column fails the type check.
 */
export function columnNames(...columns: PgColumn[]): SQL {
  return sql.join(
    columns.map((c) => sql.identifier(c.name)),
    sql`, `,
  );
}
