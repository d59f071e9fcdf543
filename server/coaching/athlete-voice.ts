import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { feedbackEvents, recommendations, sessions, sets } from '@/db/schema';
import { assertCoachOf } from '@/server/auth/principal';
import { notesOnSessions } from './session-notes';

/**
 * What the athlete said, for their coach: every "was this helpful?" answer with its note (decrypted here, for a
 * linked coach only), each beside the session it refers to — directly, or through the recommendation served in it —
 * and the athlete's recent sessions with the coach's own notes on them.
 */
const FEEDBACK_LIMIT = 50;
const SESSION_LIMIT = 12;

export async function athleteVoice(db: Db, coachId: string, athleteId: string) {
  await assertCoachOf(db, coachId, athleteId);
  const [feedback, recent] = await Promise.all([feedbackOf(db, athleteId), recentSessions(db, athleteId)]);
  const notes = await notesOnSessions(
    db,
    athleteId,
    recent.map((s) => s.id),
    coachId,
  );
  return {
    feedback,
    sessions: recent.map((s) => ({
      ...s,
      notes: (notes.get(s.id) ?? []).map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })),
    })),
  };
}

/** The answers, newest first, each with the session it is about (null once that session was deleted). */
async function feedbackOf(db: Db, athleteId: string) {
  const f = feedbackEvents;
  const direct = sql`${f.refType} = 'session' and ${sessions.id}::text = ${f.refId}`;
  const viaRecommendation = sql`${f.refType} = 'recommendation' and ${sessions.id} = ${recommendations.sessionId}`;
  const rows = await db
    .select({
      id: f.id,
      at: f.createdAt,
      helpful: f.helpful,
      notes: f.notes,
      on: f.refType,
      exercise: recommendations.exercise,
      sessionId: sessions.id,
      sessionDate: sessions.date,
      dayType: sessions.dayType,
    })
    .from(f)
    .leftJoin(
      recommendations,
      and(eq(recommendations.userId, f.userId), eq(f.refType, 'recommendation'), eq(recommendations.id, f.refId)),
    )
    .leftJoin(sessions, and(eq(sessions.userId, f.userId), sql`(${direct} or ${viaRecommendation})`))
    .where(eq(f.userId, athleteId))
    .orderBy(desc(f.createdAt), desc(f.id))
    .limit(FEEDBACK_LIMIT);
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}

/** The latest sessions, newest first, with the exercises trained in each. */
async function recentSessions(db: Db, athleteId: string) {
  const latest = await db
    .select({ id: sessions.id, date: sessions.date, dayType: sessions.dayType })
    .from(sessions)
    .where(eq(sessions.userId, athleteId))
    .orderBy(desc(sessions.date), desc(sessions.performedAt), desc(sessions.id))
    .limit(SESSION_LIMIT);
  if (latest.length === 0) return [];
  const trained = await db
    .selectDistinct({ sessionId: sets.sessionId, exercise: sets.exercise })
    .from(sets)
    .where(
      and(
        eq(sets.userId, athleteId),
        inArray(
          sets.sessionId,
          latest.map((s) => s.id),
        ),
      ),
    )
    .orderBy(sets.sessionId, sets.exercise);
  return latest.map((s) => ({
    ...s,
    exercises: trained.filter((t) => t.sessionId === s.id).map((t) => t.exercise),
  }));
}
