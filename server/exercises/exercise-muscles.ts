import { and, eq, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { exerciseMuscles } from '@/db/schema';
import type { MuscleGroup } from '@/server/contracts/volume';
import { notFound } from '@/server/errors';
import { catalogName, exerciseKey } from './catalog';
import { CATALOG_MUSCLES } from './catalog-muscles';
import { PRIMARY_CREDIT, SECONDARY_CREDIT } from './muscles';
import { trainedExercisesByKey } from './names';

/**
 * A lifter maps one of their exercises — one they trained, or a catalog exercise — to muscle groups; the mapping
 * replaces the catalog's for them. The name matches as set names do (case, spacing, the catalog's aliases).
 */
export async function mapExercise(
  db: Db,
  userId: string,
  name: string,
  muscles: { primary: readonly MuscleGroup[]; secondary: readonly MuscleGroup[] },
) {
  const exercise = (await trainedExercisesByKey(db, userId)).get(exerciseKey(name)) ?? catalogName(name);
  if (!exercise) throw notFound(`Exercise ${name}`, 'name');
  const values = {
    userId,
    exercise,
    primary: [...muscles.primary],
    secondary: [...muscles.secondary],
    updatedAt: sql`now()`,
  };
  await db
    .insert(exerciseMuscles)
    .values(values)
    .onConflictDoUpdate({ target: [exerciseMuscles.userId, exerciseMuscles.exercise], set: values });
  return { exercise, primary: values.primary, secondary: values.secondary };
}

/** On a rename, the old name's mapping follows it, unless the exercise merged into has one of its own. */
export async function carryMapping(db: Db, userId: string, from: string, to: string): Promise<void> {
  const of = (exercise: string) => and(eq(exerciseMuscles.userId, userId), eq(exerciseMuscles.exercise, exercise));
  const [target] = await db.select({ e: exerciseMuscles.exercise }).from(exerciseMuscles).where(of(to));
  if (target) await db.delete(exerciseMuscles).where(of(from));
  else await db.update(exerciseMuscles).set({ exercise: to }).where(of(from));
}

/** The catalog's mapping as rows (exercise, muscle, credit). */
const catalogRows = CATALOG_MUSCLES.flatMap((m) => [
  ...m.primary.map((muscle) => sql`(${m.exercise}, ${muscle}, ${PRIMARY_CREDIT}::float8)`),
  ...m.secondary.map((muscle) => sql`(${m.exercise}, ${muscle}, ${SECONDARY_CREDIT}::float8)`),
]);

/**
 * `select exercise, muscle, credit`: the groups each of the lifter's exercises trains and what a set counts there —
 * their own mapping, else the catalog's.
 */
export function muscleMapping(userId: SQLWrapper | string): SQL {
  const own = exerciseMuscles;
  return sql`select ${own.exercise} as exercise, unnest(${own.primary}) as muscle, ${PRIMARY_CREDIT}::float8 as credit
               from ${own} where ${own.userId} = ${userId}
             union all
             select ${own.exercise}, unnest(${own.secondary}), ${SECONDARY_CREDIT}::float8
               from ${own} where ${own.userId} = ${userId}
             union all
             select c.exercise, c.muscle, c.credit from (values ${sql.join(catalogRows, sql`, `)}) c(exercise, muscle, credit)
             where not exists (select 1 from ${own} where ${own.userId} = ${userId} and ${own.exercise} = c.exercise)`;
}
