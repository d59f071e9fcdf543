import { and, asc, desc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { sessions, sets } from '@/db/schema';
import type { SetInput } from '@/server/contracts/sessions';
import { invalid, notFound } from '@/server/errors';

/** A recorded session as the lifter can read it back, with every set. */
export interface StoredSession {
  id: string;
  userId: string;
  /** The calendar date in the lifter's zone. */
  date: string;
  performedAt: Date | null;
  dayType: string | null;
  calories: number | null;
  finished: boolean;
  recMeta: Record<string, unknown> | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  sets: StoredSet[];
}

export interface StoredSet {
  exercise: string;
  setNumber: number;
  recWeight: number | null;
  recReps: number | null;
  actualWeight: number | null;
  actualReps: number | null;
  intensity: number | null;
  done: boolean;
}

/** A set as sent, in the shape it is stored and read back (the name as sent, absent values null). */
export function storedSetOf(s: SetInput): StoredSet {
  return {
    exercise: s.exercise,
    setNumber: s.set_number,
    recWeight: s.rec_weight ?? null,
    recReps: s.rec_reps ?? null,
    actualWeight: s.actual_weight ?? null,
    actualReps: s.actual_reps ?? null,
    intensity: s.intensity ?? null,
    done: s.done,
  };
}

const sessionColumns = {
  id: sessions.id,
  userId: sessions.userId,
  date: sessions.date,
  performedAt: sessions.performedAt,
  dayType: sessions.dayType,
  calories: sessions.calories,
  finished: sessions.finished,
  recMeta: sessions.recMeta,
  version: sessions.version,
  createdAt: sessions.createdAt,
  updatedAt: sessions.updatedAt,
};

/** Sessions of one user with their sets, in the given order (one query for the sets of them all). */
async function withSets(db: Db, userId: string, rows: Omit<StoredSession, 'sets'>[]): Promise<StoredSession[]> {
  if (rows.length === 0) return [];
  const setRows = await db
    .select({
      sessionId: sets.sessionId,
      exercise: sets.sentExercise, // the wire keeps what the app sent
      setNumber: sets.setNumber,
      recWeight: sets.recWeight,
      recReps: sets.recReps,
      actualWeight: sets.actualWeight,
      actualReps: sets.actualReps,
      intensity: sets.intensity,
      done: sets.done,
    })
    .from(sets)
    .where(
      and(
        eq(sets.userId, userId),
        inArray(
          sets.sessionId,
          rows.map((r) => r.id),
        ),
      ),
    )
    .orderBy(asc(sets.setNumber));
  const bySession = new Map<string, StoredSet[]>();
  for (const { sessionId, ...set } of setRows) {
    const list = bySession.get(sessionId) ?? [];
    list.push(set);
    bySession.set(sessionId, list);
  }
  return rows.map((r) => ({ ...r, sets: bySession.get(r.id) ?? [] }));
}

/** One session of a user; 404 when that user has no such session (another user's id included). */
export async function getSession(db: Db, userId: string, id: string): Promise<StoredSession> {
  const rows = await db
    .select(sessionColumns)
    .from(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.id, id)))
    .limit(1);
  const [session] = await withSets(db, userId, rows);
  if (!session) throw notFound(`Session ${id}`, 'id');
  return session;
}

/**
 * Pages run newest first: by calendar date, then the instant the app sent (sessions sent with a bare date last
 * within their day), then id. The cursor is that key of the last session of a page.
 */
type PageKey = [date: string, at: string, id: string];
const NO_INSTANT = '-infinity';
const sortInstant = sql`coalesce(${sessions.performedAt}, ${NO_INSTANT}::timestamptz)`;

function encodeCursor(s: Pick<StoredSession, 'date' | 'performedAt' | 'id'>): string {
  const key: PageKey = [s.date, s.performedAt?.toISOString() ?? NO_INSTANT, s.id];
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** A cursor as this API writes it: a real date, an instant as `toISOString` writes it (or none), a UUID. */
const pageKey = z.tuple([z.iso.date(), z.union([z.literal(NO_INSTANT), z.iso.datetime({ precision: 3 })]), z.uuid()]);

function decodeCursor(cursor: string): PageKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // reported below
  }
  const parsed = pageKey.safeParse(key);
  if (parsed.success) return parsed.data;
  throw invalid('The cursor is not one this API gave out.', [
    { path: 'cursor', message: 'is not a next_cursor from this API' },
  ]);
}

export interface SessionPageRequest {
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

export async function listSessions(
  db: Db,
  userId: string,
  q: SessionPageRequest,
): Promise<{ sessions: StoredSession[]; nextCursor: string | null }> {
  const where: (SQL | undefined)[] = [
    eq(sessions.userId, userId),
    q.from ? gte(sessions.date, q.from) : undefined,
    q.to ? lte(sessions.date, q.to) : undefined,
  ];
  if (q.cursor) {
    const [date, at, id] = decodeCursor(q.cursor);
    where.push(
      sql`(${sessions.date}, ${sortInstant}, ${sessions.id}) < (${date}::date, ${at}::timestamptz, ${id}::uuid)`,
    );
  }
  const rows = await db
    .select(sessionColumns)
    .from(sessions)
    .where(and(...where))
    .orderBy(desc(sessions.date), desc(sortInstant), desc(sessions.id))
    .limit(q.limit + 1);
  const page = await withSets(db, userId, rows.slice(0, q.limit));
  const last = page.at(-1);
  return { sessions: page, nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null };
}
