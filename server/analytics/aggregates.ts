import { and, eq, gte, lt, lte, notExists, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '@/db/client';
import {
  analyticsDirtyWeeks,
  exerciseWeeklyStats,
  type muscleWeeklyStats,
  sessions,
  sets,
  strengthEstimates,
  userWeeklyStats,
} from '@/db/schema';
import { workingSet } from '@/server/analytics/working-sets';
import { E1RM_MAX_REPS } from './e1rm';
import { estimateOfSetDay, isHardSet } from './hard-sets';

/**
 * The weekly aggregates, computed live from done sets for a set of weeks marked in `analytics_dirty_weeks`
 * (`dirty` selects which). The nightly job inserts exactly these rows into `exercise_weekly_stats` and
 * `user_weekly_stats` (the selects have the tables' columns, in their order: drizzle's insert-select checks
 * it); the read path computes exactly these rows for weeks the job has not caught up with. One definition for
 * both is what makes answers identical whether or not the job has run.
 *
 * Weeks are ISO weeks (Monday) of the session's calendar date, which ingest takes in the lifter's zone.
 */

/** The sessions of a dirty week: same user, date within the seven days from its Monday. */
const inDirtyWeek = and(
  eq(sessions.userId, analyticsDirtyWeeks.userId),
  gte(sessions.date, analyticsDirtyWeeks.weekStart),
  lt(sessions.date, sql`${analyticsDirtyWeeks.weekStart} + 7`),
);

/**
 * Per user × exercise × week, from done sets. Epley e1RM as in e1rm.ts: w × (1 + r/30), 1 ≤ r ≤ 12. `sample`
 * and `successes` as the modifier rule counts them (`modifiers/rules.ts`): sets with a recommendation, and those
 * whose actual reps and weight met it.
 */
export function liveExerciseWeeks(db: Db, dirty: SQL | undefined) {
  const x = exerciseWeeklyStats; // aliases: its column names
  const done = db
    .select({
      userId: sets.userId,
      exercise: sets.exercise,
      weekStart: analyticsDirtyWeeks.weekStart,
      date: sessions.date,
      setNumber: sets.setNumber,
      w: sets.actualWeight,
      r: sets.actualReps,
      rw: sets.recWeight,
      rr: sets.recReps,
      hard: sql<boolean>`${isHardSet}`.as('hard'),
      e: sql<number | null>`case when ${sets.actualReps} between 1 and ${sql.raw(String(E1RM_MAX_REPS))}
                                  and ${sets.actualWeight} > 0
                             then ${sets.actualWeight} * (1 + ${sets.actualReps}::float8 / 30) end`.as('e'),
    })
    .from(analyticsDirtyWeeks)
    .innerJoin(sessions, inDirtyWeek)
    .innerJoin(sets, and(eq(sets.userId, sessions.userId), eq(sets.sessionId, sessions.id)))
    .leftJoin(strengthEstimates, estimateOfSetDay)
    .where(and(dirty, workingSet))
    .as('done');
  const week = sql`partition by ${done.userId}, ${done.exercise}, ${done.weekStart}`;
  const ranked = db
    .select({
      userId: done.userId,
      exercise: done.exercise,
      weekStart: done.weekStart,
      date: done.date,
      setNumber: done.setNumber,
      w: done.w,
      r: done.r,
      rw: done.rw,
      rr: done.rr,
      hard: done.hard,
      e: done.e,
      wmax: sql<number | null>`max(${done.w}) filter (where ${done.r} >= 1) over (${week})`.as('wmax'),
      emax: sql<number | null>`max(${done.e}) over (${week})`.as('emax'),
    })
    .from(done)
    .as('ranked');
  const { w, r, e, date, setNumber } = ranked;
  const first = (value: PgColumn | SQL.Aliased, where: SQL) =>
    sql`(array_agg(${value} order by ${date}, ${setNumber}) filter (where ${where}))[1]`;
  return db
    .select({
      userId: ranked.userId,
      exercise: ranked.exercise,
      weekStart: ranked.weekStart,
      sets: sql<number>`count(*)::int`.as(x.sets.name),
      volumeKg: sql<number>`round(coalesce(sum(coalesce(${w}, 0) * coalesce(${r}, 0)), 0)::numeric, 2)::float8`.as(
        x.volumeKg.name,
      ),
      bestWeight: sql<number | null>`max(${w}) filter (where ${r} >= 1)`.as(x.bestWeight.name),
      bestWeightDate: sql<string | null>`min(${date}) filter (where ${r} >= 1 and ${w} = ${ranked.wmax})`.as(
        x.bestWeightDate.name,
      ),
      bestE1rm: sql<number | null>`max(${e})`.as(x.bestE1rm.name),
      bestE1rmWeight: sql<number | null>`${first(w, sql`${e} = ${ranked.emax}`)}`.as(x.bestE1rmWeight.name),
      bestE1rmReps: sql<number | null>`${first(r, sql`${e} = ${ranked.emax}`)}`.as(x.bestE1rmReps.name),
      bestE1rmDate: sql<string | null>`min(${date}) filter (where ${e} = ${ranked.emax})`.as(x.bestE1rmDate.name),
      bestWeight3: sql<number | null>`max(${w}) filter (where ${r} >= 3)`.as(x.bestWeight3.name),
      bestWeight5: sql<number | null>`max(${w}) filter (where ${r} >= 5)`.as(x.bestWeight5.name),
      bestWeight8: sql<number | null>`max(${w}) filter (where ${r} >= 8)`.as(x.bestWeight8.name),
      bestWeight10: sql<number | null>`max(${w}) filter (where ${r} >= 10)`.as(x.bestWeight10.name),
      sample: sql<number>`count(*) filter (where ${ranked.rw} is not null and ${ranked.rr} is not null)::int`.as(
        x.sample.name,
      ),
      successes: sql<number>`count(*) filter (where ${r} >= ${ranked.rr} and ${w} >= ${ranked.rw})::int`.as(
        x.successes.name,
      ),
      hardSets: sql<number>`count(*) filter (where ${ranked.hard})::int`.as(x.hardSets.name),
    })
    .from(ranked)
    .groupBy(ranked.userId, ranked.exercise, ranked.weekStart);
}

/** Per user × week: sessions, and calories summed over the sessions that reported them. */
export function liveUserWeeks(db: Db, dirty: SQL | undefined) {
  const u = userWeeklyStats;
  return db
    .select({
      userId: analyticsDirtyWeeks.userId,
      weekStart: analyticsDirtyWeeks.weekStart,
      sessions: sql<number>`count(*)::int`.as(u.sessions.name),
      caloriesSum: sql<number | null>`sum(${sessions.calories})::float8`.as(u.caloriesSum.name),
      caloriesCount: sql<number>`count(${sessions.calories})::int`.as(u.caloriesCount.name),
    })
    .from(analyticsDirtyWeeks)
    .innerJoin(sessions, inDirtyWeek)
    .where(dirty)
    .groupBy(analyticsDirtyWeeks.userId, analyticsDirtyWeeks.weekStart);
}

/** One user's dirty weeks from `fromWeek` to `endWeek`, both included. */
export function dirtyWeeksOf(
  userId: string | SQLWrapper,
  fromWeek: string | SQLWrapper,
  endWeek: string | SQLWrapper,
): SQL | undefined {
  return and(
    eq(analyticsDirtyWeeks.userId, userId),
    gte(analyticsDirtyWeeks.weekStart, fromWeek),
    lte(analyticsDirtyWeeks.weekStart, endWeek),
  );
}

/**
 * One lifter's materialized rows the job has settled: their dirty weeks are read once (an init plan), not probed
 * per row — years of weekly rows against a handful of marks.
 */
export function settledFor(
  table: typeof exerciseWeeklyStats | typeof userWeeklyStats | typeof muscleWeeklyStats,
  userId: SQLWrapper,
): SQL {
  return sql`${table.weekStart} <> all(array(select ${analyticsDirtyWeeks.weekStart} from ${analyticsDirtyWeeks}
    where ${eq(analyticsDirtyWeeks.userId, userId)}))`;
}

/** For a materialized row: the job has settled its week (no dirty mark), so it can be read as stored. */
export function settled(table: typeof exerciseWeeklyStats | typeof userWeeklyStats): SQL {
  return notExists(
    sql`(select 1 from ${analyticsDirtyWeeks} where ${analyticsDirtyWeeks.userId} = ${table.userId}
         and ${analyticsDirtyWeeks.weekStart} = ${table.weekStart})`,
  );
}
