import { type SQL, sql } from 'drizzle-orm';
import { muscleMapping } from '@/server/exercises/muscle-mapping';

/**
 * Per user × week × muscle group, from exercise weeks (`weeks`: a subquery aliased `w` with the columns of
 * `exercise_weekly_stats`) of the lifters `users` yields: hard sets, sets and tonnage, each weighted by the
 * exercise's credit for the group (tonnage to 0.1 kg); an exercise mapping to no group gives a row with `muscle`
 * '' and `unmapped` naming it. The columns of `muscle_weekly_stats`, in its order: the job inserts these rows, the volume read
 * computes them for the weeks the job has not caught up with — one definition for both.
 */
export function muscleWeeks(weeks: SQL, users: SQL): SQL {
  return sql`select w.user_id, w.week_start, coalesce(mp.muscle, '') as muscle,
      case when mp.muscle is null then w.exercise else '' end as unmapped,
      coalesce(sum(mp.credit * w.hard_sets), 0)::float8 as hard_sets, coalesce(sum(mp.credit * w.sets), 0)::float8 as sets,
      round(coalesce(sum(mp.credit * w.volume_kg), 0)::numeric, 1)::float8 as tonnage_kg
    from ${weeks} left join (${muscleMapping(users)}) mp on mp.user_id = w.user_id and mp.exercise = w.exercise
    group by 1, 2, 3, 4`;
}
