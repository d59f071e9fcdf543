import { and, between, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';
import {
  adaptiveModifiers,
  analyticsDirtyWeeks,
  exerciseWeeklyStats,
  experimentAssignments,
  experimentExposures,
  feedbackEvents,
  users,
  userWeeklyStats,
} from '@/db/schema';
import { liveExerciseWeeks, liveUserWeeks, settled } from '@/server/analytics/aggregates';
import { addDays } from '@/server/time/calendar';
import { type LifterOutcome, PRE_WEEKS } from './outcomes';

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
}

export type Population = { kind: 'enrolled'; experimentId: string; arms: readonly string[] } | { kind: 'eligible' };

function lifters(population: Population, startWeek: string): SQL {
  if (population.kind === 'eligible') {
    return sql`select ${users.id} as user_id, -1 as arm, false as exposed, ${startWeek}::date as from_week
               from ${users} where ${users.analyticsOptIn} and ${users.role} = 'lifter'`;
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

export async function outcomeWindows(
  db: Db,
  population: Population,
  startWeek: string,
  looks: number,
): Promise<LifterWindows[]> {
  const lo = addDays(startWeek, -7 * 2 * PRE_WEEKS);
  const hi = looks > 0 ? addDays(startWeek, 7 * (looks - 1)) : addDays(startWeek, -7);
  const inPopulation = (column: SQLWrapper) => sql`${column} in (select user_id from lifters)`;
  const m = exerciseWeeklyStats;
  const u = userWeeklyStats;
  const dirty = and(between(analyticsDirtyWeeks.weekStart, lo, hi), inPopulation(sql`${analyticsDirtyWeeks.userId}`));
  const liveEx = liveExerciseWeeks(db, dirty).as('live_ex');
  const exerciseWeeks = db
    .select({
      userId: m.userId,
      weekStart: m.weekStart,
      bestE1rm: m.bestE1rm,
      sample: m.sample,
      successes: m.successes,
      exercise: m.exercise,
    })
    .from(m)
    .where(and(settled(m), between(m.weekStart, lo, hi), inPopulation(m.userId)))
    .unionAll(
      db
        .select({
          userId: liveEx.userId,
          weekStart: liveEx.weekStart,
          bestE1rm: liveEx.bestE1rm,
          sample: liveEx.sample,
          successes: liveEx.successes,
          exercise: liveEx.exercise,
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
  const f = feedbackEvents;
  const mod = adaptiveModifiers;
  const pre = PRE_WEEKS * 7;

  const result = await rows<{
    user_id: string;
    arm: number;
    exposed: boolean;
    from_week: string;
    k: number;
    progression: number | null;
    sample: number;
    successes: number;
    sessions: number;
    recent: number;
    weeks: number;
    answers: number;
    not_helpful: number;
    overrides: number;
  }>(
    db,
    sql`with lifters as (${lifters(population, startWeek)}),
        win as (
          select l.user_id, k,
                 case when k >= 0 then l.from_week else l.from_week + ${pre} * k end as w_from,
                 case when k >= 0 then ${startWeek}::date + 7 * k else l.from_week + ${pre} * (k + 1) - 7 end as w_to
          from lifters l cross join generate_series(${PRE_BEFORE}::int, ${looks - 1}::int) k
          where k < 0 or ${startWeek}::date + 7 * k >= l.from_week),
        ew as (${exerciseWeeks}),
        uw as (${userWeeks}),
        per_exercise as (
          select w.user_id, w.k,
                 regr_slope(x.best_e1rm, (x.week_start - w.w_from)::float8 / 7) / nullif(avg(x.best_e1rm), 0) as rel,
                 sum(x.sample) as sample, sum(x.successes) as successes
          from win w join ew x on x.user_id = w.user_id and x.week_start between w.w_from and w.w_to
          group by w.user_id, w.k, x.exercise),
        per_lifter as (
          select user_id, k, 100 * avg(rel) as progression, sum(sample)::int as sample,
                 sum(successes)::int as successes
          from per_exercise group by user_id, k),
        sessions as (
          select w.user_id, w.k, sum(s.sessions)::int as sessions,
                 coalesce(sum(s.sessions) filter (where s.week_start >= w.w_to - 7), 0)::int as recent
          from win w join uw s on s.user_id = w.user_id and s.week_start between w.w_from and w.w_to
          group by w.user_id, w.k),
        answers as (
          select w.user_id, w.k, count(*)::int as answers,
                 count(*) filter (where not ${f.helpful})::int as not_helpful
          from win w join ${f} on ${f.userId} = w.user_id
           and ${f.createdAt}::date between w.w_from and w.w_to + 6
          group by w.user_id, w.k),
        overrides as (
          select w.user_id, w.k, count(*)::int as overrides
          from win w join ${mod} on ${mod.userId} = w.user_id and ${mod.source} = 'coach'
           and ${mod.weekStart} between w.w_from and w.w_to
          group by w.user_id, w.k)
        select w.user_id, l.arm, l.exposed, l.from_week::text as from_week, w.k,
               p.progression, coalesce(p.sample, 0) as sample, coalesce(p.successes, 0) as successes,
               coalesce(s.sessions, 0) as sessions, coalesce(s.recent, 0) as recent,
               ((w.w_to - w.w_from) / 7 + 1)::int as weeks,
               coalesce(a.answers, 0) as answers, coalesce(a.not_helpful, 0) as not_helpful,
               coalesce(o.overrides, 0) as overrides
        from win w join lifters l on l.user_id = w.user_id
        left join per_lifter p on p.user_id = w.user_id and p.k = w.k
        left join sessions s on s.user_id = w.user_id and s.k = w.k
        left join answers a on a.user_id = w.user_id and a.k = w.k
        left join overrides o on o.user_id = w.user_id and o.k = w.k
        order by w.user_id, w.k`,
  );
  const out = new Map<string, LifterWindows>();
  for (const r of result) {
    let lifter = out.get(r.user_id);
    if (!lifter) {
      lifter = { userId: r.user_id, arm: r.arm, exposed: r.exposed, from: r.from_week, outcomes: new Map() };
      out.set(r.user_id, lifter);
    }
    lifter.outcomes.set(r.k, {
      progression: r.progression === null ? null : Number(r.progression),
      sample: r.sample,
      successes: r.successes,
      sessions: r.sessions,
      weeks: r.weeks,
      answers: r.answers,
      notHelpful: r.not_helpful,
      dropout: r.recent === 0 ? 1 : 0,
      overrides: r.overrides,
    });
  }
  return [...out.values()];
}
