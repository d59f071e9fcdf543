import { and, between, eq, isNotNull, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '@/db/client';
import { preparedStatement } from '@/db/prepared';
import { exerciseWeeklyStats as m, muscleWeeklyStats, profileVersions, userWeeklyStats } from '@/db/schema';
import { dirtyWeeksOf, liveExerciseWeeks, liveUserWeeks, settledFor } from './aggregates';
import { muscleWeeks } from './muscle-weeks';
import type { PrWeek } from './prs';
import type { Bodyweight, ExerciseHistoryRow, ExerciseWeekPoint, UserWeek } from './weekly-series';

/**
 * The reads behind every analytics answer. Each is a statement built once with placeholders and prepared on
 * PostgreSQL; a request fills in the lifter and the weeks and takes the rows as the driver makes them, named as
 * the domain's types (`weekStart`, `bestE1rm`) — no per-row mapping. SQL narrows years of weekly rows to what a
 * rule needs (the rows that hold a PR, a week's totals); the rules themselves stay in TypeScript.
 *
 * Weekly aggregates come from the materialized rows of weeks the job has settled and from the live aggregate
 * (the same definition) of weeks touched since — in one statement, so one snapshot.
 */

const p = (name: 'userId' | 'from' | 'to' | 'exercise') => sql.placeholder(name);

export type WeeksOf = {
  userId: string;
  /** First Monday, included. */
  from: string;
  /** Last Monday, included. */
  to: string;
};

/** `w.column as "key"` for each entry: the driver's row then has the caller's property names. */
function named(columns: Record<string, PgColumn>): SQL {
  return sql.join(
    Object.entries(columns).map(([key, c]) => sql`w.${sql.identifier(c.name)} as ${sql.identifier(key)}`),
    sql`, `,
  );
}

/** A lifter's exercise weeks from `from` to `to`, settled or live, under the table's column names. */
const exerciseWeeks = (db: Db) => sql`(
  select * from ${m} where ${and(eq(m.userId, p('userId')), between(m.weekStart, p('from'), p('to')), settledFor(m, p('userId')))}
  union all ${liveExerciseWeeks(db, dirtyWeeksOf(p('userId'), p('from'), p('to')))}
) w`;

/** Per exercise, the weeks whose best weight, e1RM or N-rep best is the range's best: a PR's candidates. */
export const prWeeksRead = preparedStatement<PrWeek, WeeksOf>((db) => {
  const best = [m.bestWeight, m.bestE1rm, m.bestWeight3, m.bestWeight5, m.bestWeight8, m.bestWeight10];
  const isBest = sql.join(
    best.map((c) => sql`w.${sql.identifier(c.name)} = max(w.${sql.identifier(c.name)}) over exercise`),
    sql` or `,
  );
  const columns = {
    exercise: m.exercise,
    weekStart: m.weekStart,
    bestWeight: m.bestWeight,
    bestWeightDate: m.bestWeightDate,
    bestE1rm: m.bestE1rm,
    bestE1rmWeight: m.bestE1rmWeight,
    bestE1rmReps: m.bestE1rmReps,
    bestE1rmDate: m.bestE1rmDate,
    bestWeight3: m.bestWeight3,
    bestWeight5: m.bestWeight5,
    bestWeight8: m.bestWeight8,
    bestWeight10: m.bestWeight10,
  };
  const keys = sql.join(
    Object.keys(columns).map((k) => sql.identifier(k)),
    sql`, `,
  );
  return sql`select ${keys} from (
      select ${named(columns)}, ${isBest} as holds from ${exerciseWeeks(db)}
      where w.${sql.identifier(m.bestWeight.name)} is not null
      window exercise as (partition by w.${sql.identifier(m.exercise.name)})
    ) c where holds`;
});

/**
 * Every exercise week's best e1RM, done sets and volume: the series plateaus are found in and the weekly totals.
 * Years of weeks travel as one row per exercise holding JSON arrays (one `JSON.parse` each), not a row per week:
 * the driver's per-row work was most of this answer's CPU.
 */
export async function exerciseWeeksRead(db: Db, weeks: WeeksOf): Promise<ExerciseWeekPoint[]> {
  const out: ExerciseWeekPoint[] = [];
  for (const e of await exerciseColumnsRead(db, weeks)) {
    const [starts, e1rms, sets, volumes] = [e.weekStart, e.bestE1rm, e.sets, e.volumeKg].map((a) => JSON.parse(a));
    for (let i = 0; i < starts.length; i++)
      out.push({ exercise: e.exercise, weekStart: starts[i], bestE1rm: e1rms[i], sets: sets[i], volumeKg: volumes[i] });
  }
  return out;
}

// One array per column: PostgreSQL 15 spends less on four sorted json_aggs of scalars than on one of tuples.
const exerciseColumnsRead = preparedStatement<
  { exercise: string; weekStart: string; bestE1rm: string; sets: string; volumeKg: string },
  WeeksOf
>((db) => {
  const column = (c: PgColumn) => sql`w.${sql.identifier(c.name)}`;
  const array = (c: PgColumn) => sql`json_agg(${column(c)} order by ${column(m.weekStart)})::text`;
  return sql`select ${column(m.exercise)} as "exercise", ${array(m.weekStart)} as "weekStart",
      ${array(m.bestE1rm)} as "bestE1rm", ${array(m.sets)} as "sets", ${array(m.volumeKg)} as "volumeKg"
    from ${exerciseWeeks(db)} group by ${column(m.exercise)}`;
});

/** One exercise's weeks, oldest first: the dashboard's history chart. */
export const exerciseHistoryRead = preparedStatement<ExerciseHistoryRow, WeeksOf & { exercise: string }>(
  (db) => sql`select ${named({
    weekStart: m.weekStart,
    bestE1rm: m.bestE1rm,
    bestWeight: m.bestWeight,
    volumeKg: m.volumeKg,
    sets: m.sets,
  })} from ${exerciseWeeks(db)} where w.${sql.identifier(m.exercise.name)} = ${p('exercise')}
    order by w.${sql.identifier(m.weekStart.name)}`,
);

export const userWeeksRead = preparedStatement<UserWeek, WeeksOf>((db) => {
  const u = userWeeklyStats;
  const columns = named({
    weekStart: u.weekStart,
    sessions: u.sessions,
    caloriesSum: u.caloriesSum,
    caloriesCount: u.caloriesCount,
  });
  return sql`select ${columns} from (
    select * from ${u} where ${and(eq(u.userId, p('userId')), between(u.weekStart, p('from'), p('to')), settledFor(u, p('userId')))}
    union all ${liveUserWeeks(db, dirtyWeeksOf(p('userId'), p('from'), p('to')))}
  ) w`;
});

/**
 * Bodyweight readings from the date `from` to the date `to`, and those of the last date with a reading before
 * that (the weight in force at `from`). Later writes sort last, as `bodyweightAt` expects.
 */
export const bodyweightsRead = preparedStatement<Bodyweight, { userId: string; from: string; to: string }>(() => {
  const v = profileVersions;
  const withWeight = and(eq(v.userId, p('userId')), isNotNull(v.weightKg));
  return sql`select ${v.effectiveDate} as "effectiveDate", ${v.weightKg} as "weightKg" from ${v}
    where ${withWeight} and ${lte(v.effectiveDate, p('to'))} and ${v.effectiveDate} >= (
      select coalesce(max(${v.effectiveDate}), ${p('from')}::date) from ${v}
      where ${withWeight} and ${lt(v.effectiveDate, p('from'))})
    order by ${v.effectiveDate}, ${v.createdAt}`;
});

export interface VolumeRow {
  weekStart: string;
  /** Null for an exercise that maps to no group (`unmapped` names it). */
  muscle: string | null;
  unmapped: string | null;
  hardSets: number;
  sets: number;
  tonnageKg: number;
}

/**
 * Per week and muscle group: hard sets, sets and tonnage (`muscle-weeks.ts`), materialized for settled weeks and
 * live for the rest; and, in the same pass, the exercises that map to no group (a row each, `muscle` null).
 */
export const volumeWeeksRead = preparedStatement<VolumeRow, WeeksOf>((db) => {
  const mw = muscleWeeklyStats;
  const live = sql`(${liveExerciseWeeks(db, dirtyWeeksOf(p('userId'), p('from'), p('to')))}) w`;
  return sql`select g.week_start::text as "weekStart", nullif(g.muscle, '') as "muscle", nullif(g.unmapped, '') as "unmapped",
      g.hard_sets as "hardSets", g.sets as "sets", g.tonnage_kg as "tonnageKg"
    from (
      select ${mw.weekStart}, ${mw.muscle}, ${mw.unmapped}, ${mw.hardSets}, ${mw.sets}, ${mw.tonnageKg} from ${mw}
        where ${and(eq(mw.userId, p('userId')), between(mw.weekStart, p('from'), p('to')), settledFor(mw, p('userId')))}
      union all
      select l.week_start, l.muscle, l.unmapped, l.hard_sets, l.sets, l.tonnage_kg
        from (${muscleWeeks(live, sql`select ${p('userId')}::text`)}) l
    ) g`;
});
