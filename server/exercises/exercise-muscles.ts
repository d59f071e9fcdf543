import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { exerciseMuscles, sets } from '@/db/schema';
import type { MuscleGroup } from '@/server/contracts/volume';
import { notFound } from '@/server/errors';
import { catalogName, exerciseKey } from './catalog';

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
  const trained = await db.selectDistinct({ name: sets.exercise }).from(sets).where(eq(sets.userId, userId));
  const exercise = trained.find((t) => exerciseKey(t.name) === exerciseKey(name))?.name ?? catalogName(name);
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
