import { sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';
import { coachAthletes, type UserRole, users } from '@/db/schema';
import { createApiToken } from '@/server/auth/tokens';

/** A user with a fresh API token. */
export async function createUser(
  db: Db,
  id: string,
  opts: { role?: UserRole; analyticsOptIn?: boolean; coaches?: string[] } = {},
): Promise<string> {
  await db.insert(users).values({ id, role: opts.role ?? 'lifter', analyticsOptIn: opts.analyticsOptIn ?? false });
  for (const athlete of opts.coaches ?? []) await db.insert(coachAthletes).values({ userId: athlete, coachId: id });
  return createApiToken(db, id, 'test');
}

// The tables that hold users' rows, per database: the schema does not change once a test file has migrated it.
const userTables = new WeakMap<Db, Promise<{ table_name: string }[]>>();

/** Row counts of every table holding user data: a failed request must leave all of them unchanged. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  let tables = userTables.get(db);
  if (!tables) {
    tables = rows<{ table_name: string }>(
      db,
      sql`select table_name from information_schema.columns
          where table_schema = 'public' and column_name = 'user_id' order by 1`,
    );
    userTables.set(db, tables);
  }
  const counts = sql.join(
    (await tables).map(
      (t) => sql`select ${t.table_name} as t, count(*)::int as n from ${sql.identifier(t.table_name)}`,
    ),
    sql` union all `,
  );
  const result = await rows<{ t: string; n: number }>(db, counts);
  return Object.fromEntries(result.map((r) => [r.t, r.n]));
}
