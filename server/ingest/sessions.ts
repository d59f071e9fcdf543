import { isDeepStrictEqual } from 'node:util';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { columnNames as names } from '@/db/column-names';
import { preparedStatement } from '@/db/prepared';
import { analyticsDirtyWeeks, exerciseAliases, recommendations, sessions, sets } from '@/db/schema';
import { clientRecommendationId, type SessionInput } from '@/server/contracts/sessions';
import { conflict } from '@/server/errors';
import { sentNames } from '@/server/exercises/names';
import { getSession, type StoredSession, storedSetOf } from '@/server/sessions/session-reads';
import { calendarDate } from '@/server/time/calendar';
import { lifterTimeZone } from '@/server/time/lifter-calendar';

/** The id of the recommendation row that holds a session's `rec_meta`, without its own: this and the session's id. */
const REC_PREFIX = 'rec-';

const isDateOnly = (date: string) => /^\d{4}-\d{2}-\d{2}$/.test(date);

/**
 * `date` arrives as an instant or a bare date. An instant is kept as `performed_at` and its calendar date is
 * taken in the lifter's zone (so a late-evening session in Berlin lands on the right day and ISO week).
 */
export function sessionDates(date: string, timeZone: string | null): { date: string; performedAt: Date | null } {
  if (isDateOnly(date)) return { date, performedAt: null };
  const performedAt = new Date(date);
  return { date: calendarDate(performedAt, timeZone), performedAt };
}

/** The instant or date the app sent, as the session stores it, equals this stored session's. */
function sameWhen(stored: StoredSession, date: string): boolean {
  if (isDateOnly(date)) return stored.performedAt === null && stored.date === date;
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

const v = (name: keyof SessionRow) => sql.placeholder(name);

/** What one session's statement is given: the session's fields, its sets as one JSON document, its `rec_meta`. */
type SessionRow = {
  userId: string;
  date: string;
  performedAt: string | null;
  dayType: string | null;
  calories: number | null;
  finished: boolean;
  recMeta: string | null;
  recId: string | null;
  sets: string;
};

/**
 * A session, all its sets, its `rec_meta` recommendation and the analytics dirty mark — in one statement, so all
 * of it or nothing, in one round trip; built once and prepared. The sets travel as one JSON document.
 */
const insertSessionStatement = preparedStatement<{ id: string; linked: boolean }, SessionRow>(() => {
  const s = sessions;
  const a = exerciseAliases;
  const r = recommendations;
  const d = analyticsDirtyWeeks;
  return sql`with s as (
      insert into ${s} (${names(s.userId, s.date, s.performedAt, s.dayType, s.calories, s.finished, s.recMeta)})
      values (${v('userId')}, ${v('date')}::date, ${v('performedAt')}::timestamptz, ${v('dayType')},
              ${v('calories')}::int, ${v('finished')}::boolean, ${v('recMeta')}::jsonb)
      returning ${s.id} as id, ${s.date} as date
    ),
    x as (
      select * from jsonb_to_recordset(${v('sets')}::jsonb)
        as x(exercise text, key text, fallback text, known boolean, set_number int, rec_weight float8, rec_reps int,
             actual_weight float8, actual_reps int, intensity float8, done boolean)
    ),
    st as (
      -- The lifter's name for each exercise (server/exercises): their alias for its key, else the catalog's or
      -- the name as first sent; the wire keeps what was sent.
      insert into ${sets} (${names(
        sets.userId,
        sets.sessionId,
        sets.exercise,
        sets.sentExercise,
        sets.setNumber,
        sets.recWeight,
        sets.recReps,
        sets.actualWeight,
        sets.actualReps,
        sets.intensity,
        sets.done,
      )})
      select ${v('userId')}, s.id, coalesce(${a.exercise}, x.fallback), x.exercise, x.set_number, x.rec_weight,
             x.rec_reps, x.actual_weight, x.actual_reps, x.intensity, x.done
      from s cross join x
      left join ${a} on ${a.userId} = ${v('userId')} and ${a.key} = x.key
    ),
    named as (
      insert into ${a} (${names(a.userId, a.key, a.exercise)})
      select distinct ${v('userId')}, x.key, x.fallback from s cross join x where not x.known
      on conflict (${names(a.userId, a.key)}) do nothing
    ),
    rec as (
      insert into ${r} (${names(r.userId, r.id, r.exercise, r.recPayload, r.recSource, r.sessionId)})
      select ${v('userId')}, coalesce(${v('recId')}::text, ${REC_PREFIX} || s.id::text), null, ${v('recMeta')}::jsonb,
             coalesce(${v('recMeta')}::jsonb ->> 'rec_source', 'client'), s.id
      from s where ${v('recMeta')}::jsonb is not null
      on conflict (${names(r.userId, r.id)}) do update set ${names(r.sessionId)} = excluded.${names(r.sessionId)}
        where ${r.sessionId} is null
      returning 1
    ),
    dirty as (
      -- date_trunc('week') is the ISO week's Monday, as isoWeekStart computes it.
      insert into ${d} (${names(d.userId, d.weekStart)})
      select ${v('userId')}, date_trunc('week', s.date)::date from s
      on conflict (${names(d.userId, d.weekStart)}) do update set ${names(d.touchedAt)} = now()
    )
    select id::text as id, exists (select from rec) as linked from s`;
});

/**
 * Records the session. The lifter's time zone is read first (only for an instant: its calendar date depends on
 * it). A client recommendation id already taken by another session (a concurrent post) leaves the
 * recommendation unlinked: 409, and the caller's transaction rolls the session back.
 */
async function insertSession(
  db: Db,
  userId: string,
  input: SessionInput,
  recId: string | null,
): Promise<{ sessionId: string }> {
  const timeZone = isDateOnly(input.date) ? null : await lifterTimeZone(db, userId);
  const { date, performedAt } = sessionDates(input.date, timeZone);
  const names = sentNames(input.sets.map((s) => s.exercise));
  const setRows = input.sets.map((s) => {
    const name = names.get(s.exercise)!;
    return {
      exercise: s.exercise,
      key: name.key,
      fallback: name.fallback,
      known: name.known,
      set_number: s.set_number,
      rec_weight: s.rec_weight ?? null,
      rec_reps: s.rec_reps ?? null,
      actual_weight: s.actual_weight ?? null,
      actual_reps: s.actual_reps ?? null,
      intensity: s.intensity ?? null,
      done: s.done,
    };
  });
  const [row] = await insertSessionStatement(db, {
    userId,
    date,
    performedAt: performedAt?.toISOString() ?? null,
    dayType: input.day_type ?? null,
    calories: input.calories ?? null,
    finished: input.finished,
    recMeta: input.rec_meta ? JSON.stringify(input.rec_meta) : null,
    recId,
    sets: JSON.stringify(setRows),
  });
  if (recId !== null && !row!.linked) {
    throw conflict(`Recommendation ${recId} belongs to another session.`, 'rec_meta.id');
  }
  return { sessionId: row!.id };
}
