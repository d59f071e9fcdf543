import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { exerciseMuscles } from '@/db/schema';
import { markExerciseWeeksDirty } from '@/server/analytics/job';
import type { MuscleGroup } from '@/server/contracts/volume';
import { notFound } from '@/server/errors';
import { catalogName, exerciseKey } from './catalog';
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
  // The weeks already materialized per muscle group counted this exercise by its old mapping.
  await markExerciseWeeksDirty(db, userId, exercise);
  return { exercise, primary: values.primary, secondary: values.secondary };
}

/** On a rename, the old name's mapping follows it, unless the exercise merged into has one of its own. */
export async function carryMapping(db: Db, userId: string, from: string, to: string): Promise<void> {
  const of = (exercise: string) => and(eq(exerciseMuscles.userId, userId), eq(exerciseMuscles.exercise, exercise));
  const [target] = await db.select({ e: exerciseMuscles.exercise }).from(exerciseMuscles).where(of(to));
  if (target) {
    await db.delete(exerciseMuscles).where(of(from));
    return;
  }
  const carried = await db
    .update(exerciseMuscles)
    .set({ exercise: to })
    .where(of(from))
    .returning({ e: exerciseMuscles.exercise });
  // The weeks `to` was trained in before counted it by the catalog's mapping.
  if (carried.length > 0) await markExerciseWeeksDirty(db, userId, to);
}
