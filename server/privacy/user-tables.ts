import { getTableColumns, is } from 'drizzle-orm';
import { getTableConfig, type PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { schema } from '@/db/client';

/**
 * Every table that holds a user's rows, found in the schema rather than listed by hand: a table is
 * user-owned when it has a `user_id` column (the distribution rule guarantees every such table has one).
 * Export and deletion walk this list, so a new table is covered the day it is added.
 */
export interface UserTable {
  name: string;
  table: PgTable;
  userId: PgColumn;
  /** TypeScript key → column, for mapping rows back to their column names on the wire. */
  columns: Record<string, PgColumn>;
}

export const USER_TABLES: readonly UserTable[] = (Object.values(schema) as unknown[])
  .filter((value): value is PgTable => is(value, PgTable))
  .flatMap((table) => {
    const columns = getTableColumns(table) as Record<string, PgColumn>;
    const userId = Object.values(columns).find((c) => c.name === 'user_id');
    return userId ? [{ name: getTableConfig(table).name, table, userId, columns }] : [];
  })
  .sort((a, b) => a.name.localeCompare(b.name));
