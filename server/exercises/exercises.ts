import { and, count, eq, max, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { exerciseAliases, exercisePolicies, recommendations, sessions, sets } from '@/db/schema';
import { markSessionWeeksDirty } from '@/server/analytics/job';
import { invalid, notFound } from '@/server/errors';
import { catalogKeysOf, catalogName, exerciseKey, tidyExerciseName } from './catalog';
import { carryMapping } from './exercise-muscles';
import { trainedExercisesByKey } from './names';

/** One of the lifter's exercises: its name, the names it was sent under, how much and how recently. */
export interface LifterExercise {
  name: string;
  sentAs: string[];
  sets: number;
  lastPerformed: string | null;
  inCatalog: boolean;
}

export async function listExercises(db: Db, userId: string): Promise<LifterExercise[]> {
  const rows = await db
    .select({
      name: sets.exercise,
      sentAs: sql<string[]>`array_agg(distinct ${sets.sentExercise} order by ${sets.sentExercise})`,
      sets: count(),
      lastPerformed: max(sessions.date),
    })
    .from(sets)
    .innerJoin(sessions, and(eq(sessions.userId, sets.userId), eq(sessions.id, sets.sessionId)))
    .where(eq(sets.userId, userId))
    .groupBy(sets.exercise)
    .orderBy(sets.exercise);
  return rows.map((r) => ({ ...r, inCatalog: catalogName(r.name) === r.name }));
}

/**
 * Renames one of the lifter's exercises — or merges it into another, when `to` names one the lifter already has
 * (in any case or spacing). Retroactive: every set under the old name moves, the weeks they fall in are marked
 * dirty (PRs, plateaus and weekly summaries follow at once), the per-exercise policy and recommendations follow,
 * and every spelling that led to the old name now leads to the new one. The sets keep what the app sent.
 */
export async function renameExercise(
  db: Db,
  userId: string,
  fromName: string,
  toName: string,
): Promise<{ from: string; to: string; sets: number; merged: boolean }> {
  return db.transaction(async (tx) => {
    const byKey = await trainedExercisesByKey(tx, userId);
    const from = byKey.get(exerciseKey(fromName));
    if (!from) throw notFound(`Exercise ${fromName}`, 'from');
    const existing = byKey.get(exerciseKey(toName));
    const to = existing ?? catalogName(toName) ?? tidyExerciseName(toName);
    if (to === from) {
      throw invalid('That is already its name.', [{ path: 'to', message: 'is the exercise’s current name' }]);
    }
    const moved = await tx
      .update(sets)
      .set({ exercise: to })
      .where(and(eq(sets.userId, userId), eq(sets.exercise, from)))
      .returning({ sessionId: sets.sessionId, sent: sets.sentExercise });
    await markSessionWeeksDirty(
      tx,
      userId,
      moved.map((m) => m.sessionId),
    );
    // Every spelling that meant the old exercise — sent, aliased, the catalog's — now means the new one.
    const keys = new Set([
      ...moved.map((m) => exerciseKey(m.sent)),
      exerciseKey(from),
      ...catalogKeysOf(from),
      ...(
        await tx
          .select({ key: exerciseAliases.key })
          .from(exerciseAliases)
          .where(and(eq(exerciseAliases.userId, userId), eq(exerciseAliases.exercise, from)))
      ).map((a) => a.key),
    ]);
    await tx
      .insert(exerciseAliases)
      .values([...keys].map((key) => ({ userId, key, exercise: to })))
      .onConflictDoUpdate({
        target: [exerciseAliases.userId, exerciseAliases.key],
        set: { exercise: to },
      });
    // The policy chosen for the old name carries over unless the exercise merged into has one of its own.
    const [target] = await tx
      .select({ exercise: exercisePolicies.exercise })
      .from(exercisePolicies)
      .where(and(eq(exercisePolicies.userId, userId), eq(exercisePolicies.exercise, to)));
    if (target) {
      await tx
        .delete(exercisePolicies)
        .where(and(eq(exercisePolicies.userId, userId), eq(exercisePolicies.exercise, from)));
    } else {
      await tx
        .update(exercisePolicies)
        .set({ exercise: to })
        .where(and(eq(exercisePolicies.userId, userId), eq(exercisePolicies.exercise, from)));
    }
    await carryMapping(tx, userId, from, to);
    await tx
      .update(recommendations)
      .set({ exercise: to })
      .where(and(eq(recommendations.userId, userId), eq(recommendations.exercise, from)));
    return { from, to, sets: moved.length, merged: Boolean(existing) };
  });
}
