import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { profiles, recommendations, sessions, sets } from '@/db/schema';
import type { SessionInput } from '@/server/contracts/sessions';
import { markWeeksDirty } from '@/server/analytics/dirty-weeks';
import { calendarDate } from '@/server/time/calendar';

/** The id of the recommendation row that holds a session's `rec_meta`. */
export const sessionRecommendationId = (sessionId: string) => `rec-${sessionId}`;

/**
 * `date` arrives as an instant or a bare date. An instant is kept as `performed_at` and its calendar date is
 * taken in the lifter's zone (so a late-evening session in Berlin lands on the right day and ISO week).
 */
export function sessionDates(date: string, timeZone: string | null): { date: string; performedAt: Date | null } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return { date, performedAt: null };
  const performedAt = new Date(date);
  return { date: calendarDate(performedAt, timeZone), performedAt };
}

/** A session, all its sets and its `rec_meta` recommendation, in one transaction: all of it or nothing. */
export async function recordSession(db: Db, userId: string, input: SessionInput): Promise<{ sessionId: string }> {
  return db.transaction(async (tx) => {
    const [profile] = await tx
      .select({ timeZone: profiles.timeZone })
      .from(profiles)
      .where(eq(profiles.userId, userId))
      .limit(1);
    const { date, performedAt } = sessionDates(input.date, profile?.timeZone ?? null);

    const [session] = await tx
      .insert(sessions)
      .values({
        userId,
        date,
        performedAt,
        dayType: input.day_type ?? null,
        calories: input.calories ?? null,
        finished: input.finished,
        recMeta: input.rec_meta ?? null,
      })
      .returning({ id: sessions.id });
    const sessionId = session!.id;

    if (input.sets.length > 0) {
      await tx.insert(sets).values(
        input.sets.map((s) => ({
          userId,
          sessionId,
          exercise: s.exercise,
          setNumber: s.set_number,
          recWeight: s.rec_weight ?? null,
          recReps: s.rec_reps ?? null,
          actualWeight: s.actual_weight ?? null,
          actualReps: s.actual_reps ?? null,
          intensity: s.intensity ?? null,
          done: s.done,
        })),
      );
    }

    if (input.rec_meta) {
      await tx.insert(recommendations).values({
        userId,
        id: sessionRecommendationId(sessionId),
        exercise: null,
        recPayload: input.rec_meta,
        recSource: 'session',
        sessionId,
      });
    }
    await markWeeksDirty(tx, userId, [date]);
    return { sessionId };
  });
}
