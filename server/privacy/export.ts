import { stringify } from 'csv-stringify/sync';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { sessions, sets, users } from '@/db/schema';
import { setRowColumns, setsJoinSessions } from './set-rows';
import { USER_TABLES } from './user-tables';

/** Columns that are secrets of the service, not the user's data: their existence is exported, not their value. */
const REDACTED = new Set(['token_hash', 'code_hash']);

const wire = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/**
 * Everything stored about a user (the right of access): the user row and every row of every user-owned
 * table, with column names as in the database and free text decrypted.
 */
export async function exportUserData(db: Db, userId: string, now: Date) {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const t of USER_TABLES) {
    const rows = (await db.select().from(t.table).where(eq(t.userId, userId))) as Record<string, unknown>[];
    tables[t.name] = rows.map((row) =>
      Object.fromEntries(
        Object.entries(t.columns).map(([key, column]) => [
          column.name,
          REDACTED.has(column.name) ? '[redacted]' : wire(row[key]),
        ]),
      ),
    );
  }
  return {
    exported_at: now.toISOString(),
    user: user
      ? {
          id: user.id,
          role: user.role,
          display_name: user.displayName,
          analytics_opt_in: user.analyticsOptIn,
          created_at: user.createdAt.toISOString(),
          updated_at: user.updatedAt.toISOString(),
        }
      : null,
    tables,
  };
}

export const SETS_CSV_COLUMNS = [
  'date',
  'performed_at',
  'day_type',
  'session_id',
  'exercise',
  'set_number',
  'rec_weight',
  'rec_reps',
  'actual_weight',
  'actual_reps',
  'intensity',
  'done',
] as const;

/**
 * A text cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+…`, `-…`, `@…`, or one starting with a tab
 * or a carriage return), defused with a leading `'` as OWASP's CSV-injection advice says: shown as written, never
 * evaluated. Numbers are written as numbers and left alone.
 */
export function defused(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Every set the user logged, one row each, oldest first: for a spreadsheet (text cells defused). */
export async function setsCsv(db: Db, userId: string): Promise<string> {
  const rows = await db
    .select({ ...setRowColumns, performed_at: sessions.performedAt, session_id: sets.sessionId })
    .from(sets)
    .innerJoin(sessions, setsJoinSessions)
    .where(eq(sets.userId, userId))
    .orderBy(asc(sessions.date), asc(sessions.performedAt), asc(sets.sessionId), asc(sets.setNumber));
  return stringify(
    rows.map((r) => ({ ...r, performed_at: r.performed_at?.toISOString() ?? '' })),
    {
      header: true,
      columns: [...SETS_CSV_COLUMNS],
      cast: { boolean: (v) => (v ? 'true' : 'false'), string: defused },
    },
  );
}
