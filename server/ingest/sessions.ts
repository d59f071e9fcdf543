import { isDeepStrictEqual } from 'node:util';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { preparedRows } from '@/db/prepared';
import { recommendations } from '@/db/schema';
import { clientRecommendationId, type SessionInput } from '@/server/contracts/sessions';
import { conflict } from '@/server/errors';
import { sentNames } from '@/server/exercises/names';
import { getSession, type StoredSession, storedSetOf } from '@/server/sessions/session-reads';
import { calendarDate } from '@/server/time/calendar';
import { lifterTimeZone } from '@/server/time/lifter-calendar';

/** The id of the recommendation row that holds a session's `rec_meta`, without its own: this and the session's id. */
const REC_PREFIX = 'rec-';

/**
 * `date` arrives as an instant or a bare date. An instant is kept as `performed_at` and its calendar date is
 * taken in the lifter's zone (so a late-evening session in Berlin lands on the right day and ISO week).
 */
export function sessionDates(date: string, timeZone: string | null): { date: string; performedAt: Date | null } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return { date, performedAt: null };
  const performedAt = new Date(date);
  return { date: calendarDate(performedAt, timeZone), performedAt };
}

/** The instant or date the app sent, as the session stores it, equals this stored session's. */
function sameWhen(stored: StoredSession, date: string): boolean {
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return stored.performedAt === null && stored.date === date;
  return stored.performedAt?.getTime() === Date.parse(date);
}

/** A second post of the same session (a retry): every field and set as stored. */
function sameSession(stored: StoredSession, input: SessionInput): boolean {
  const sent = [...input.sets].sort((a, b) => a.set_number - b.set_number);
  return (
    sameWhen(stored, input.date) &&
    stored.dayType === (input.day_type ?? null) &&
    stored.calories === (input.calories ?? null) &&
    stored.finished === input.finished &&
    isDeepStrictEqual(stored.recMeta, input.rec_meta ?? null) &&
    stored.sets.length === sent.length &&
    stored.sets.every((set, i) => isDeepStrictEqual(set, storedSetOf(sent[i]!)))
  );
}

/**
 * Records a session. With a client recommendation id (`rec_meta.id`) that id names its recommendation, so the
 * app's feedback can point at it: the same session posted again answers the session already recorded; the id
 * reused for another payload is a conflict (409), and nothing is written. A recommendation posted earlier under
 * that id with the same payload is linked to the session.
 */
export async function recordSession(db: Db, userId: string, input: SessionInput): Promise<{ sessionId: string }> {
  const recMetaId = input.rec_meta?.id;
  if (recMetaId === undefined) return insertSession(db, userId, input, null);
  const recId = clientRecommendationId.parse(recMetaId);
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ payload: recommendations.recPayload, sessionId: recommendations.sessionId })
      .from(recommendations)
      .where(and(eq(recommendations.userId, userId), eq(recommendations.id, recId)))
      .for('update');
    if (existing && !isDeepStrictEqual(existing.payload, input.rec_meta)) {
      throw conflict(`Recommendation ${recId} was recorded with another payload.`, 'rec_meta.id');
    }
    if (existing?.sessionId) {
      if (sameSession(await getSession(tx, userId, existing.sessionId), input))
        return { sessionId: existing.sessionId };
      throw conflict(`Recommendation ${recId} belongs to another session (${existing.sessionId}).`, 'rec_meta.id');
    }
    return insertSession(tx, userId, input, recId);
  });
}

/**
 * A session, all its sets, its `rec_meta` recommendation and the analytics dirty mark — in one SQL statement,
 * so all of it or nothing, in one round trip (the sets travel as one JSON document). The lifter's time zone is
 * read first: the calendar date of an instant depends on it. A client recommendation id already taken by
 * another session (a concurrent post) leaves the recommendation unlinked: 409, and the caller's transaction
 * rolls the session back.
 */
async function insertSession(
  db: Db,
  userId: string,
  input: SessionInput,
  recId: string | null,
): Promise<{ sessionId: string }> {
  const { date, performedAt } = sessionDates(input.date, await lifterTimeZone(db, userId));
  const names = sentNames(input.sets.map((s) => s.exercise));
  const setRows = input.sets.map((s) => ({
    exercise: s.exercise,
    key: names.get(s.exercise)!.key,
    fallback: names.get(s.exercise)!.fallback,
    known: names.get(s.exercise)!.known,
    set_number: s.set_number,
    rec_weight: s.rec_weight ?? null,
    rec_reps: s.rec_reps ?? null,
    actual_weight: s.actual_weight ?? null,
    actual_reps: s.actual_reps ?? null,
    intensity: s.intensity ?? null,
    done: s.done,
  }));
  const recMeta = input.rec_meta ? JSON.stringify(input.rec_meta) : null;
  const [row] = await preparedRows<{ id: string; linked: boolean }>(
    db,
    sql`with s as (
          insert into sessions (user_id, date, performed_at, day_type, calories, finished, rec_meta)
          values (${userId}, ${date}::date, ${performedAt?.toISOString() ?? null}::timestamptz, ${input.day_type ?? null},
                  ${input.calories ?? null}::int, ${input.finished}, ${recMeta}::jsonb)
          returning id, date
        ),
        x as (
          select * from jsonb_to_recordset(${JSON.stringify(setRows)}::jsonb)
            as x(exercise text, key text, fallback text, known boolean, set_number int, rec_weight float8, rec_reps int,
                 actual_weight float8, actual_reps int, intensity float8, done boolean)
        ),
        st as (
          -- The lifter's name for each exercise (server/exercises): their alias for its key, else the catalog's or
          -- the name as first sent; the wire keeps what was sent.
          insert into sets (user_id, session_id, exercise, sent_exercise, set_number, rec_weight, rec_reps, actual_weight,
                            actual_reps, intensity, done)
          select ${userId}, s.id, coalesce(a.exercise, x.fallback), x.exercise, x.set_number, x.rec_weight, x.rec_reps,
                 x.actual_weight, x.actual_reps, x.intensity, x.done
          from s cross join x
          left join exercise_aliases a on a.user_id = ${userId} and a.key = x.key
        ),
        named as (
          insert into exercise_aliases (user_id, key, exercise)
          select distinct ${userId}, x.key, x.fallback from s cross join x where not x.known
          on conflict (user_id, key) do nothing
        ),
        rec as (
          insert into recommendations (user_id, id, exercise, rec_payload, rec_source, session_id)
          select ${userId}, coalesce(${recId}::text, ${REC_PREFIX} || s.id::text), null, ${recMeta}::jsonb,
                 coalesce(${recMeta}::jsonb ->> 'rec_source', 'client'), s.id
          from s where ${recMeta}::jsonb is not null
          on conflict (user_id, id) do update set session_id = excluded.session_id
            where recommendations.session_id is null
          returning 1
        ),
        dirty as (
          -- date_trunc('week') is the ISO week's Monday, as isoWeekStart computes it.
          insert into analytics_dirty_weeks (user_id, week_start)
          select ${userId}, date_trunc('week', s.date)::date from s
          on conflict (user_id, week_start) do update set touched_at = now()
        )
        select id::text as id, exists (select from rec) as linked from s`,
  );
  if (recId !== null && !row!.linked) {
    throw conflict(`Recommendation ${recId} belongs to another session.`, 'rec_meta.id');
  }
  return { sessionId: row!.id };
}
