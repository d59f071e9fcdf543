import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { deletedImportWorkouts, feedbackEvents, recommendations, sessions, sets } from '@/db/schema';
import { markWeeksDirty } from '@/server/analytics/job';
import type { SessionPatch, SetInput } from '@/server/contracts/sessions';
import { notFound } from '@/server/errors';
import { resolveExerciseNames } from '@/server/exercises/names';
import { sessionDates } from '@/server/ingest/sessions';
import { lifterTimeZone } from '@/server/time/lifter-calendar';
import { type ExpectedVersion, matches, staleVersion } from '@/server/versions';
import { getSession, type StoredSession, storedSetOf } from './session-reads';

/**
 * Correcting what was recorded. An edit or delete applies only to the version the client read (`If-Match`), marks
 * the weeks it touches dirty so analytics show it at once, and leaves modifier decisions already made as they
 * were: the next weekly run reads the corrected sets.
 */

/** The session locked for the edit, after checking the client edited its current version. */
async function lockedVersion(tx: Db, userId: string, id: string, expected: ExpectedVersion) {
  const [row] = await tx
    .select({ version: sessions.version, date: sessions.date })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.id, id)))
    .for('update');
  if (!row) throw notFound(`Session ${id}`, 'id');
  if (!matches(expected, row.version)) throw staleVersion(row.version);
  return row;
}

/** A set's row: stored as sent, under the lifter's name for its exercise. */
const setRow = (userId: string, sessionId: string, s: SetInput, names: Map<string, string>) => ({
  userId,
  sessionId,
  ...storedSetOf(s),
  exercise: names.get(s.exercise) ?? s.exercise,
  sentExercise: s.exercise,
});

export async function updateSession(
  db: Db,
  userId: string,
  id: string,
  expected: ExpectedVersion,
  patch: SessionPatch,
): Promise<StoredSession> {
  await db.transaction(async (tx) => {
    const before = await lockedVersion(tx, userId, id, expected);
    const dates = patch.date === undefined ? undefined : sessionDates(patch.date, await lifterTimeZone(tx, userId));
    await tx
      .update(sessions)
      .set({
        ...(dates ? { date: dates.date, performedAt: dates.performedAt } : {}),
        ...(patch.day_type !== undefined ? { dayType: patch.day_type } : {}),
        ...(patch.calories !== undefined ? { calories: patch.calories } : {}),
        ...(patch.finished !== undefined ? { finished: patch.finished } : {}),
        version: sql`${sessions.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(sessions.userId, userId), eq(sessions.id, id)));
    if (patch.sets) {
      await tx.delete(sets).where(and(eq(sets.userId, userId), eq(sets.sessionId, id)));
      if (patch.sets.length > 0) {
        const names = await resolveExerciseNames(
          tx,
          userId,
          patch.sets.map((s) => s.exercise),
        );
        await tx.insert(sets).values(patch.sets.map((s) => setRow(userId, id, s, names)));
      }
    }
    await markWeeksDirty(tx, userId, [before.date, ...(dates ? [dates.date] : [])]);
  });
  return getSession(db, userId, id);
}

/**
 * Deletes a session with its sets, the recommendation recorded from its `rec_meta`, and the feedback given on
 * either: what was about a workout that did not happen as recorded.
 */
export async function deleteSession(db: Db, userId: string, id: string, expected: ExpectedVersion): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await lockedVersion(tx, userId, id, expected);
    const recs = await tx
      .select({ id: recommendations.id })
      .from(recommendations)
      .where(and(eq(recommendations.userId, userId), eq(recommendations.sessionId, id)));
    const aboutIt = or(
      and(eq(feedbackEvents.refType, 'session'), eq(feedbackEvents.refId, id)),
      recs.length > 0
        ? and(
            eq(feedbackEvents.refType, 'recommendation'),
            inArray(
              feedbackEvents.refId,
              recs.map((r) => r.id),
            ),
          )
        : undefined,
    );
    await tx.delete(feedbackEvents).where(and(eq(feedbackEvents.userId, userId), aboutIt));
    // Sets and the rec_meta recommendation go with it (foreign keys cascade).
    const [deleted] = await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, userId), eq(sessions.id, id)))
      .returning({ importKey: sessions.importKey });
    // An imported workout the lifter deleted stays deleted when a later export holding it is imported.
    if (deleted?.importKey) {
      await tx.insert(deletedImportWorkouts).values({ userId, importKey: deleted.importKey }).onConflictDoNothing();
    }
    await markWeeksDirty(tx, userId, [before.date]);
  });
}
