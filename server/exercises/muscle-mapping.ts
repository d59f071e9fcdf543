import { type SQL, sql } from 'drizzle-orm';
import { exerciseMuscles } from '@/db/schema';
import { CATALOG_MUSCLES } from './catalog-muscles';
import { PRIMARY_CREDIT, SECONDARY_CREDIT } from './muscles';

/** The catalog's mapping as rows (exercise, muscle, credit). */
const catalogRows = CATALOG_MUSCLES.flatMap((m) => [
  ...m.primary.map((muscle) => sql`(${m.exercise}, ${muscle}, ${PRIMARY_CREDIT}::float8)`),
  ...m.secondary.map((muscle) => sql`(${m.exercise}, ${muscle}, ${SECONDARY_CREDIT}::float8)`),
]);

/**
 * `select user_id, exercise, muscle, credit` for the lifters `users` yields (a query or a `values` list of one
 * column): the groups each of their exercises trains and what a set counts there — their own mapping, else the
 * catalog's.
 */
export function muscleMapping(users: SQL): SQL {
  const own = exerciseMuscles;
  const mine = sql`${own.userId} in (${users})`;
  return sql`select ${own.userId} as user_id, ${own.exercise} as exercise, unnest(${own.primary}) as muscle,
                 ${PRIMARY_CREDIT}::float8 as credit
               from ${own} where ${mine}
             union all
             select ${own.userId}, ${own.exercise}, unnest(${own.secondary}), ${SECONDARY_CREDIT}::float8
               from ${own} where ${mine}
             union all
             select u.user_id, c.exercise, c.muscle, c.credit
               from (${users}) u(user_id)
               cross join (values ${sql.join(catalogRows, sql`, `)}) c(exercise, muscle, credit)
             where not exists (select 1 from ${own} where ${own.userId} = u.user_id and ${own.exercise} = c.exercise)`;
}
