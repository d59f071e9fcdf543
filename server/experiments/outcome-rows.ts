import { and, asc, between, lte, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';
import {
  adaptiveModifiers,
  analyticsDirtyWeeks,
  exerciseWeeklyStats,
  experimentAssignments,
  experimentExposures,
  feedbackEvents,
  profileVersions,
  users,
  userWeeklyStats,
} from '@/db/schema';
import { liveExerciseWeeks, liveUserWeeks, settled } from '@/server/analytics/aggregates';
import { plannedWeeksSql } from '@/server/deloads/deloads';
import { snapshotFacts } from '@/server/profile/snapshot';
import { strengthReadingsOf } from '@/server/strength/materialize';
import { addDays } from '@/server/time/calendar';
import { optedInLifter } from './enrollment';
import {
  BASELINE_DAYS,
  type LifterOutcome,
  type OutcomeWindow,
  PRE_WEEKS,
  preWindow,
  strengthProgressionOf,
} from './outcomes';
import { type LifterTraits, profileAt, traitsOf } from './traits';

/**
 * Every lifter's outcomes over every window the report needs — each weekly look of the experiment, and the two
 * pre-periods (the CUPED covariate, and the one before it for the planning calculator) — computed by one SQL
 * statement over the weekly aggregates (materialized rows for weeks the analytics job has settled, live rows for
 * weeks touched since, as the analytics read path does), so the report moves a row per lifter and window, not
 * a row per set. The definitions are `outcomes.ts`'s `lifterOutcome`, which the simulator's experiments use in
 * memory; the end-to-end test holds the two equal.
 */

/** Window indexes: 0… the weekly looks; these two the pre-periods. */
export const PRE = -1;
export const PRE_BEFORE = -2;

export interface LifterWindows {
  userId: string;
  /** Index of the arm, -1 for a draft's eligible lifters. */
  arm: number;
  exposed: boolean;
  /** Monday of the lifter's first week under the arm. */
  from: string;
  outcomes: Map<number, LifterOutcome>;
  /** Training level and sex at `from`. */
  traits: LifterTraits;
}

export type Population = { kind: 'enrolled'; experimentId: string; arms: readonly string[] } | { kind: 'eligible' };

function lifters(population: Population, startWeek: string): SQL {
  if (population.kind === 'eligible') {
    return sql`select ${users.id} as user_id, -1 as arm, false as exposed, ${startWeek}::date as from_week
               from ${users} where ${optedInLifter}`;
  }
  const a = experimentAssignments;
  const x = experimentExposures;
  const armIndex = sql.join(
    population.arms.map((name, i) => sql`when ${name} then ${sql.raw(String(i))}`),
    sql` `,
  );
  // A lifter who withdrew consent to analytics leaves the analysis (their rows stay).
  return sql`select ${a.userId} as user_id, case ${a.arm} ${armIndex} else -1 end as arm,
                    exists (select 1 from ${x} where ${x.userId} = ${a.userId} and ${x.experimentId} = ${a.experimentId})
                      as exposed,
                    greatest(${a.enrolledWeek}, ${startWeek}::date) as from_week
             from ${a} join ${users} on ${users.id} = ${a.userId} and ${users.analyticsOptIn}
             where ${a.experimentId} = ${population.experimentId}`;
}

/** A window of a lifter's weeks, as SQL over `lifters l`: Mondays from and to, both included. */
interface WindowSql {
  k: number;
  from: SQL;
  to: SQL;
}

function windowsOf(startWeek: string, looks: number): WindowSql[] {
  const pre = PRE_WEEKS * 7;
  return [
    { k: PRE_BEFORE, from: sql`(l.from_week - ${2 * pre}::int)`, to: sql`(l.from_week - ${pre + 7}::int)` },
    { k: PRE, from: sql`(l.from_week - ${pre}::int)`, to: sql`(l.from_week - 7)` },
    ...Array.from({ length: looks }, (_, k) => ({
      k,
      from: sql`l.from_week`,
      to: sql`${addDays(startWeek, 7 * k)}::date`,
    })),
  ];
}

/** Column of window i: `sample_3`. */
const col = (name: string, i: number) => sql.identifier(`${name}_${i}`);

/** The weeks the statement reads (every window's), and each window as SQL. */
interface Span {
  windows: WindowSql[];
  /** First and last Monday any window covers. */
  lo: string;
  hi: string;
}

/** `build` for every window, comma-separated: one column group per window. */
const eachWindow = (span: Span, build: (w: WindowSql, i: number) => SQL) =>
  sql.join(
    span.windows.map((w, i) => build(w, i)),
    sql`, `,
  );
const inWindow = (week: SQL, w: WindowSql) => sql`${week} between ${w.from} and ${w.to}`;
const inPopulation = (column: SQLWrapper) => sql`${column} in (select user_id from lifters)`;

/**
 * The statement: one row per lifter, with every window's values side by side (`progression_0`, `sample_0`, …):
 * each table is read once and grouped once, each window an aggregate FILTER — no row is repeated per window.
 */
function outcomeWindowsQuery(db: Db, population: Population, startWeek: string, looks: number, e1rm: boolean): SQL {
  const span: Span = {
    windows: windowsOf(startWeek, looks),
    lo: addDays(startWeek, -7 * 2 * PRE_WEEKS),
    hi: looks > 0 ? addDays(startWeek, 7 * (looks - 1)) : addDays(startWeek, -7),
  };
  const { exerciseWeeks, userWeeks } = weeklyAggregates(db, span);
  // A planned deload week's light sets are neither failures nor lost strength (as in the weekly job).
  return sql`with lifters as (${lifters(population, startWeek)}),
        planned as (${plannedWeeksSql(sql`select user_id from lifters`, span.lo, span.hi)}),
        ew as (select * from (${exerciseWeeks}) a where not exists (
          select 1 from planned d
          where d.user_id = a.user_id and d.week_start = a.week_start and (d.exercise is null or d.exercise = a.exercise))),
        uw as (${userWeeks}),
        ${e1rm ? sql`per_exercise as (${progressionPerExercise(span)}), per_lifter as (${progressionPerLifter(span)}),` : sql`per_lifter as (${setsPerLifter(span)}),`}
        sessions as (${sessionsPerWindow(span)}),
        answers as (${answersPerWindow(span)}),
        overrides as (${overridesPerWindow(span)})
        ${lifterRows(span)}`;
}

/** The population's exercise and user weeks in the span: settled rows, and live ones for weeks touched since. */
function weeklyAggregates(db: Db, { lo, hi }: Span) {
  const m = exerciseWeeklyStats;
  const u = userWeeklyStats;
  const dirty = and(between(analyticsDirtyWeeks.weekStart, lo, hi), inPopulation(analyticsDirtyWeeks.userId));
  const liveEx = liveExerciseWeeks(db, dirty).as('live_ex');
  const exerciseWeeks = db
    .select({
      userId: m.userId,
      exercise: m.exercise,
      weekStart: m.weekStart,
      bestE1rm: m.bestE1rm,
      sample: m.sample,
      successes: m.successes,
    })
    .from(m)
    .where(and(settled(m), between(m.weekStart, lo, hi), inPopulation(m.userId)))
    .unionAll(
      db
        .select({
          userId: liveEx.userId,
          exercise: liveEx.exercise,
          weekStart: liveEx.weekStart,
          bestE1rm: liveEx.bestE1rm,
          sample: liveEx.sample,
          successes: liveEx.successes,
        })
        .from(liveEx),
    );
  const liveUs = liveUserWeeks(db, dirty).as('live_us');
  const userWeeks = db
    .select({ userId: u.userId, weekStart: u.weekStart, sessions: u.sessions })
    .from(u)
    .where(and(settled(u), between(u.weekStart, lo, hi), inPopulation(u.userId)))
    .unionAll(
      db.select({ userId: liveUs.userId, weekStart: liveUs.weekStart, sessions: liveUs.sessions }).from(liveUs),
    );
  return { exerciseWeeks, userWeeks };
}

/** Per lifter and exercise, each window's e1RM slope relative to its mean, and its sets against the prescription. */
function progressionPerExercise(span: Span): SQL {
  return sql`select x.user_id,
      ${eachWindow(
        span,
        (w, i) => sql`regr_slope(x.best_e1rm, (x.week_start - ${w.from})::float8 / 7)
                        filter (where ${inWindow(sql`x.week_start`, w)})
                      / nullif(avg(x.best_e1rm) filter (where ${inWindow(sql`x.week_start`, w)}), 0)
                      as ${col('rel', i)},
                    sum(x.sample) filter (where ${inWindow(sql`x.week_start`, w)}) as ${col('sample', i)},
                    sum(x.successes) filter (where ${inWindow(sql`x.week_start`, w)}) as ${col('successes', i)}`,
      )}
    from ew x join lifters l on l.user_id = x.user_id
    group by x.user_id, x.exercise`;
}

/** Per lifter: the mean over exercises of the progression (% per week), and the sets summed. */
function progressionPerLifter(span: Span): SQL {
  return sql`select user_id,
      ${eachWindow(
        span,
        (_, i) => sql`100 * avg(${col('rel', i)}) as ${col('progression', i)},
                      coalesce(sum(${col('sample', i)}), 0)::int as ${col('sample', i)},
                      coalesce(sum(${col('successes', i)}), 0)::int as ${col('successes', i)}`,
      )}
    from per_exercise group by user_id`;
}

/** Per lifter: the sets summed, and no e1RM progression (null) — for reports whose metrics do not read it. */
function setsPerLifter(span: Span): SQL {
  const summed = (column: string, w: WindowSql) =>
    sql`coalesce(sum(${sql.identifier('x')}.${sql.identifier(column)}) filter (where ${inWindow(sql`x.week_start`, w)}), 0)::int`;
  return sql`select x.user_id,
      ${eachWindow(
        span,
        (w, i) => sql`null::float8 as ${col('progression', i)}, ${summed('sample', w)} as ${col('sample', i)},
                      ${summed('successes', w)} as ${col('successes', i)}`,
      )}
    from ew x join lifters l on l.user_id = x.user_id
    group by x.user_id`;
}

/** Sessions in each window, and in its last week (did the lifter stay). */
function sessionsPerWindow(span: Span): SQL {
  return sql`select s.user_id,
      ${eachWindow(
        span,
        (w, i) => sql`coalesce(sum(s.sessions) filter (where ${inWindow(sql`s.week_start`, w)}), 0)::int
                        as ${col('sessions', i)},
                      coalesce(sum(s.sessions) filter (where ${inWindow(sql`s.week_start`, w)}
                        and s.week_start >= ${w.to} - 7), 0)::int as ${col('recent', i)}`,
      )}
    from uw s join lifters l on l.user_id = s.user_id group by s.user_id`;
}

/** Feedback answers in each window (its weeks to their Sundays), and how many said "not helpful". */
function answersPerWindow(span: Span): SQL {
  const f = feedbackEvents;
  const toSunday = (w: WindowSql) => ({ ...w, to: sql`(${w.to} + 6)` });
  return sql`select a.user_id,
      ${eachWindow(
        span,
        (w, i) => sql`count(*) filter (where ${inWindow(sql`a.day`, toSunday(w))})::int as ${col('answers', i)},
                      count(*) filter (where not a.helpful and ${inWindow(sql`a.day`, toSunday(w))})::int
                        as ${col('not_helpful', i)}`,
      )}
    from (select ${f.userId} as user_id, ${f.createdAt}::date as day, ${f.helpful} as helpful
          from ${f} where ${f.createdAt} >= ${span.lo}::date and ${inPopulation(f.userId)}) a
    join lifters l on l.user_id = a.user_id group by a.user_id`;
}

/** Coach overrides in each window. */
function overridesPerWindow(span: Span): SQL {
  const mod = adaptiveModifiers;
  return sql`select o.user_id,
      ${eachWindow(span, (w, i) => sql`count(*) filter (where ${inWindow(sql`o.week_start`, w)})::int as ${col('overrides', i)}`)}
    from (select ${mod.userId} as user_id, ${mod.weekStart} as week_start from ${mod}
          where ${mod.source} = 'coach' and ${mod.weekStart} between ${span.lo}::date and ${span.hi}::date
            and ${inPopulation(mod.userId)}) o
    join lifters l on l.user_id = o.user_id group by o.user_id`;
}

/** One row per lifter of the population, every window's columns side by side. */
function lifterRows(span: Span): SQL {
  return sql`select l.user_id, l.arm, l.exposed, l.from_week::text as from_week,
      ${eachWindow(
        span,
        (w, i) => sql`p.${col('progression', i)}, p.${col('sample', i)}, p.${col('successes', i)},
                      s.${col('sessions', i)}, s.${col('recent', i)}, a.${col('answers', i)},
                      a.${col('not_helpful', i)}, o.${col('overrides', i)},
                      ((${w.to} - ${w.from}) / 7 + 1)::int as ${col('weeks', i)}`,
      )}
    from lifters l
    left join per_lifter p on p.user_id = l.user_id
    left join sessions s on s.user_id = l.user_id
    left join answers a on a.user_id = l.user_id
    left join overrides o on o.user_id = l.user_id
    order by l.user_id`;
}

export async function outcomeWindows(
  db: Db,
  population: Population,
  startWeek: string,
  looks: number,
  /** Whether to compute the e1RM progression (`e1rm_progression`): a slope per exercise and window, the costly part. */
  { e1rm }: { e1rm: boolean },
): Promise<LifterWindows[]> {
  const windows = windowsOf(startWeek, looks);
  const ids = sql`select user_id from (${lifters(population, startWeek)}) l`;
  const from = addDays(startWeek, -7 * 2 * PRE_WEEKS - BASELINE_DAYS);
  const to = addDays(startWeek, 7 * Math.max(looks, 0) - 1);
  // Three reads side by side on their own connections (the windows' statement is the long one); a session written
  // between them shows in one and not yet in another until the next report.
  const [result, strength, profiles] = await Promise.all([
    db.transaction(async (tx) => {
      // One analytical statement over every enrolled lifter: compiling it (JIT) costs more than it saves, its
      // aggregates want more memory than a request's default to stay off disk, and merge joins had it sort every
      // exercise week to meet a handful of planned deloads (hash joins: 1.9 → 1.5 s over 10,005 lifters).
      await tx.execute(sql`set local jit = off`);
      await tx.execute(sql`set local work_mem = '64MB'`);
      await tx.execute(sql`set local enable_mergejoin = off`);
      return rows<Record<string, unknown>>(tx, outcomeWindowsQuery(tx, population, startWeek, looks, e1rm));
    }),
    strengthReadingsOf(db, ids, from, to),
    profilesOf(db, ids, to),
  ]);
  // Lifters share a handful of first weeks: each window computed once per first week, not once per lifter.
  const windowsFrom = new Map<string, (OutcomeWindow | null)[]>();
  const windowsOfLifter = (from: string) => {
    let list = windowsFrom.get(from);
    if (!list) {
      // A look before the lifter's first week under the arm is not theirs yet.
      list = windows.map((w) =>
        w.k >= 0 && addDays(startWeek, 7 * w.k) < from ? null : lifterWindow(w.k, from, startWeek),
      );
      windowsFrom.set(from, list);
    }
    return list;
  };
  return result.map((r) => {
    const from = r.from_week as string;
    const readings = strength.get(r.user_id as string) ?? [];
    const outcomes = new Map<number, LifterOutcome>();
    const int = (name: string, i: number) => Number(r[`${name}_${i}`] ?? 0);
    const theirs = windowsOfLifter(from);
    windows.forEach((w, i) => {
      const window = theirs[i];
      if (!window) return;
      const progression = r[`progression_${i}`];
      const strengthOutcome = strengthProgressionOf(readings, window);
      outcomes.set(w.k, {
        strengthProgression: strengthOutcome.progression,
        strengthMeasured: strengthOutcome.measured,
        progression: progression === null || progression === undefined ? null : Number(progression),
        sample: int('sample', i),
        successes: int('successes', i),
        sessions: int('sessions', i),
        weeks: int('weeks', i),
        answers: int('answers', i),
        notHelpful: int('not_helpful', i),
        dropout: int('recent', i) === 0 ? 1 : 0,
        overrides: int('overrides', i),
      });
    });
    const traits = traitsOf(readings, profileAt(profiles.get(r.user_id as string) ?? [], from), from);
    return { userId: r.user_id as string, arm: Number(r.arm), exposed: Boolean(r.exposed), from, outcomes, traits };
  });
}

type ProfileRow = { userId: string; effectiveDate: string; weightKg: number | null; sex: string | null };

/** The population's profile versions up to `to`, by lifter, in effective-date then write order (snapshots decrypted). */
async function profilesOf(db: Db, population: SQL, to: string): Promise<Map<string, ProfileRow[]>> {
  const v = profileVersions;
  const found = await db
    .select({ userId: v.userId, effectiveDate: v.effectiveDate, weightKg: v.weightKg, snapshot: v.snapshotJson })
    .from(v)
    .where(and(sql`${v.userId} in (${population})`, lte(v.effectiveDate, to)))
    .orderBy(asc(v.userId), asc(v.effectiveDate), asc(v.createdAt));
  const out = new Map<string, ProfileRow[]>();
  for (const { snapshot, ...r } of found) {
    const list = out.get(r.userId) ?? [];
    list.push({ ...r, sex: snapshotFacts(snapshot).sex });
    out.set(r.userId, list);
  }
  return out;
}

/** Window `k` of a lifter whose first week under the arm is `from`, as `windowsOf` has it in SQL. */
function lifterWindow(k: number, from: string, startWeek: string) {
  if (k === PRE) return preWindow({ from });
  if (k === PRE_BEFORE) return preWindow({ from }, 2);
  return { from, to: addDays(startWeek, 7 * k) };
}
