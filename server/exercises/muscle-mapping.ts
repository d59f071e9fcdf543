import { type SQL, sql } from 'drizzle-orm';
import { exerciseMuscles } from '@/db/schema';
import { CATALOG_MUSCLES } from './catalog-muscles';
import { PRIMARY_CREDIT, SECONDARY_CREDIT } from './muscles';

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * The catalog's mapping as a `values` list of (exercise, muscle, credit), written into the statement as literals:
 * it is our own constant, and as bound parameters every execution would send its hundreds of strings again.
 */
const catalogRows = sql.raw(
  CATALOG_MUSCLES.flatMap((m) => [
    ...m.primary.map((muscle) => `(${literal(m.exercise)}, ${literal(muscle)}, ${Number(PRIMARY_CREDIT)}::float8)`),
    ...m.secondary.map((muscle) => `(${literal(m.exercise)}, ${literal(muscle)}, ${Number(SECONDARY_CREDIT)}::float8)`),
  ]).join(', '),
);

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
               cross join (values ${catalogRows}) c(exercise, muscle, credit)
             where not exists (select 1 from ${own} where ${own.userId} = u.user_id and ${own.exercise} = c.exercise)`;
}
