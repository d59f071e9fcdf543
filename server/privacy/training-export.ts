import { createHmac } from 'node:crypto';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { sessions, sets, users } from '@/db/schema';
import { keyring } from './keyring';
import { setRowColumns, setsJoinSessions } from './set-rows';

/**
 * The data set for training recommendation models offline (the seed's "later model training"): recommended
 * against actual per set, only for users who opted in to analytics, under a pseudonym instead of the user id.
 * Everyone else is left out entirely — not blanked, not counted.
 */
export const TRAINING_COLUMNS = [
  'subject',
  'date',
  'day_type',
  'exercise',
  'set_number',
  'rec_weight',
  'rec_reps',
  'actual_weight',
  'actual_reps',
  'intensity',
  'done',
] as const;
export type TrainingRow = Record<(typeof TRAINING_COLUMNS)[number], string | number | boolean | null>;

/** Stable across exports under one key, meaningless without it. */
export function pseudonym(userId: string): string {
  return createHmac('sha256', keyring().current.key).update(`subject:${userId}`).digest('hex').slice(0, 16);
}

export async function optedInUsers(db: Db, after = '', limit = 500): Promise<string[]> {
  const found = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.analyticsOptIn, true), gt(users.id, after)))
    .orderBy(asc(users.id))
    .limit(limit);
  return found.map((u) => u.id);
}

/** One opted-in user's rows. The opt-in is checked again here, so a user who opted out meanwhile yields none. */
export async function trainingRowsOf(db: Db, userId: string): Promise<TrainingRow[]> {
  const found = await db
    .select(setRowColumns)
    .from(sets)
    .innerJoin(sessions, setsJoinSessions)
    .innerJoin(users, eq(users.id, sets.userId))
    .where(and(eq(sets.userId, userId), eq(users.analyticsOptIn, true)))
    .orderBy(asc(sessions.date), asc(sets.sessionId), asc(sets.setNumber));
  const subject = pseudonym(userId);
  return found.map((r) => ({ subject, ...r }));
}

/** Walks every opted-in user in id order; `onUser` sees each user's rows (the CLI writes them to CSV). */
export async function exportTrainingData(
  db: Db,
  onRows: (rows: TrainingRow[]) => void | Promise<void>,
  onProgress?: (users: number) => void,
): Promise<{ users: number; rows: number }> {
  let after = '';
  let userCount = 0;
  let rowCount = 0;
  for (;;) {
    const ids = await optedInUsers(db, after);
    if (ids.length === 0) break;
    for (const id of ids) {
      const rows = await trainingRowsOf(db, id);
      await onRows(rows);
      userCount++;
      rowCount += rows.length;
      onProgress?.(userCount);
    }
    after = ids.at(-1)!;
  }
  return { users: userCount, rows: rowCount };
}
