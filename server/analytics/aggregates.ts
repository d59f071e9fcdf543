import { type SQL, sql } from 'drizzle-orm';
import { E1RM_MAX_REPS } from './e1rm';

/**
 * The weekly aggregates, as SQL over a target relation `t(user_id, week_start)`. The nightly job inserts
 * exactly these rows; the read path computes exactly these rows live for weeks the job has not caught up
 * with. One definition for both is what makes answers identical whether or not the job has run.
 *
 * Weeks are ISO weeks (Monday) of the session's calendar date, which ingest takes in the lifter's zone.
 */

export interface WeekPair {
  userId: string;
  weekStart: string;
}

/** A literal target relation of (user, week) pairs. */
export function targetPairs(pairs: readonly WeekPair[]): SQL {
  const values = sql.join(
    pairs.map((p) => sql`(${p.userId}::text, ${p.weekStart}::date)`),
    sql`, `,
  );
  return sql`(values ${values}) as t(user_id, week_start)`;
}

/** The dirty weeks of one user between two weeks (both included), as a target relation. */
export function dirtyTarget(userId: string, fromWeek: string, endWeek: string): SQL {
  return sql`(select user_id, week_start from analytics_dirty_weeks
              where user_id = ${userId} and week_start between ${fromWeek}::date and ${endWeek}::date) as t`;
}

/** For a materialized row `m`: the job has settled its week (no dirty mark), so it can be read as stored. */
export const SETTLED = sql`not exists (select 1 from analytics_dirty_weeks d where d.user_id = m.user_id and d.week_start = m.week_start)`;

export const EXERCISE_WEEK_COLUMNS = sql.raw(
  `user_id, exercise, week_start, sets, volume_kg, best_weight, best_weight_date, best_e1rm, best_e1rm_weight,
   best_e1rm_reps, best_e1rm_date, best_weight_3, best_weight_5, best_weight_8, best_weight_10`,
);

/** Per user × exercise × week, from done sets. Epley e1RM as in e1rm.ts: w × (1 + r/30), 1 ≤ r ≤ 12. */
export function exerciseWeeksQuery(target: SQL): SQL {
  return sql`
    with done as (
      select st.user_id, st.exercise, t.week_start, se.date, st.set_number,
             st.actual_weight as w, st.actual_reps as r,
             case when st.actual_reps between 1 and ${sql.raw(String(E1RM_MAX_REPS))} and st.actual_weight > 0
                  then st.actual_weight * (1 + st.actual_reps::float8 / 30) end as e
      from ${target}
      join sessions se on se.user_id = t.user_id and se.date >= t.week_start and se.date < t.week_start + 7
      join sets st on st.user_id = se.user_id and st.session_id = se.id
      where st.done
    ), ranked as (
      select done.*,
             max(w) filter (where r >= 1) over g as wmax,
             max(e) over g as emax
      from done
      window g as (partition by user_id, exercise, week_start)
    )
    select user_id, exercise, week_start::text as week_start,
           count(*)::int as sets,
           round(coalesce(sum(coalesce(w, 0) * coalesce(r, 0)), 0)::numeric, 2)::float8 as volume_kg,
           max(w) filter (where r >= 1) as best_weight,
           min(date) filter (where r >= 1 and w = wmax)::text as best_weight_date,
           max(e) as best_e1rm,
           (array_agg(w order by date, set_number) filter (where e = emax))[1] as best_e1rm_weight,
           (array_agg(r order by date, set_number) filter (where e = emax))[1] as best_e1rm_reps,
           min(date) filter (where e = emax)::text as best_e1rm_date,
           max(w) filter (where r >= 3) as best_weight_3,
           max(w) filter (where r >= 5) as best_weight_5,
           max(w) filter (where r >= 8) as best_weight_8,
           max(w) filter (where r >= 10) as best_weight_10
    from ranked
    group by user_id, exercise, week_start`;
}

export const USER_WEEK_COLUMNS = sql.raw(`user_id, week_start, sessions, calories_sum, calories_count`);

/** Per user × week: sessions, and calories summed over the sessions that reported them. */
export function userWeeksQuery(target: SQL): SQL {
  return sql`
    select t.user_id, t.week_start::text as week_start, count(*)::int as sessions,
           sum(se.calories)::float8 as calories_sum, count(se.calories)::int as calories_count
    from ${target}
    join sessions se on se.user_id = t.user_id and se.date >= t.week_start and se.date < t.week_start + 7
    group by t.user_id, t.week_start`;
}
