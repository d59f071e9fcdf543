import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { coachAthletes, sessionNotes, sessions, users } from '@/db/schema';
import { isCoachOf } from '@/server/auth/principal';
import { forbidden, notFound } from '@/server/errors';

/**
 * A coach's notes on its athletes' sessions. Only a current coach of the athlete writes one; the athlete reads
 * every coach's notes (the dashboard, `GET /sessions/{id}`) and may delete any; a coach reads its own. The table
 * hangs off the coach link, so a note leaves with the link and with either account.
 */
export interface SessionNote {
  id: string;
  sessionId: string;
  coachId: string;
  note: string;
  createdAt: Date;
}

const noteColumns = {
  id: sessionNotes.id,
  sessionId: sessionNotes.sessionId,
  coachId: sessionNotes.coachId,
  note: sessionNotes.note,
  createdAt: sessionNotes.createdAt,
};

/**
 * Stores the note in one statement that also checks the link and the session, so a link ended meanwhile cannot
 * leave a note behind; when it writes nothing, says which was missing.
 */
export async function addSessionNote(
  db: Db,
  coachId: string,
  athleteId: string,
  sessionId: string,
  note: string,
): Promise<SessionNote> {
  const [stored] = await db
    .insert(sessionNotes)
    .select(
      db
        .select({
          userId: sessions.userId,
          id: sql`gen_random_uuid()`.as('id'),
          sessionId: sessions.id,
          coachId: coachAthletes.coachId,
          note: sql`${sessionNotes.note.mapToDriverValue(note)}`.as('note'),
          createdAt: sql`now()`.as('created_at'),
        })
        .from(sessions)
        .innerJoin(coachAthletes, and(eq(coachAthletes.userId, sessions.userId), eq(coachAthletes.coachId, coachId)))
        .where(and(eq(sessions.userId, athleteId), eq(sessions.id, sessionId))),
    )
    .returning(noteColumns);
  if (stored) return stored;
  if (!(await isCoachOf(db, coachId, athleteId))) {
    throw forbidden(`Only a coach of ${athleteId} may leave a note on their sessions.`, 'user_id');
  }
  throw notFound(`Session ${sessionId} of ${athleteId}`, 'id');
}

/** The notes on these sessions of the athlete, oldest first per session; only `coachId`'s when given. */
export async function notesOnSessions(
  db: Db,
  athleteId: string,
  sessionIds: readonly string[],
  coachId?: string,
): Promise<Map<string, SessionNote[]>> {
  const out = new Map<string, SessionNote[]>(sessionIds.map((id) => [id, []]));
  if (sessionIds.length === 0) return out;
  const found = await db
    .select(noteColumns)
    .from(sessionNotes)
    .where(
      and(
        eq(sessionNotes.userId, athleteId),
        inArray(sessionNotes.sessionId, [...sessionIds]),
        coachId ? eq(sessionNotes.coachId, coachId) : undefined,
      ),
    )
    .orderBy(sessionNotes.createdAt, sessionNotes.id);
  for (const n of found) out.get(n.sessionId)?.push(n);
  return out;
}

/** The athlete's notes from all coaches, newest first, with the session's date and the coach's name. */
export async function notesForAthlete(db: Db, athleteId: string, limit = 50) {
  const rows = await db
    .select({
      ...noteColumns,
      sessionDate: sessions.date,
      dayType: sessions.dayType,
      coachName: users.displayName,
    })
    .from(sessionNotes)
    .innerJoin(sessions, and(eq(sessions.userId, sessionNotes.userId), eq(sessions.id, sessionNotes.sessionId)))
    .innerJoin(users, eq(users.id, sessionNotes.coachId))
    .where(eq(sessionNotes.userId, athleteId))
    .orderBy(desc(sessionNotes.createdAt), desc(sessionNotes.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** The athlete deletes a note on one of their sessions; 404 when there is none. */
export async function deleteSessionNote(db: Db, athleteId: string, sessionId: string, noteId: string): Promise<void> {
  const deleted = await db
    .delete(sessionNotes)
    .where(and(eq(sessionNotes.userId, athleteId), eq(sessionNotes.sessionId, sessionId), eq(sessionNotes.id, noteId)))
    .returning({ id: sessionNotes.id });
  if (deleted.length === 0) throw notFound(`Note ${noteId} on session ${sessionId}`, 'note_id');
}
