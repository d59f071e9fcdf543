import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { sets, users } from '@/db/schema';
import { markSessionWeeksDirty } from '@/server/analytics/job';
import { resolveExerciseNames } from './names';

/**
 * Resolves every stored set's name again from what was sent (`npm run exercises:reindex`): for data recorded before
 * names were matched (migration 0018), or after the catalog learned new names. The lifter's own aliases (renames,
 * merges) still win. Only sets whose name changes are written, and their weeks marked dirty. One user per
 * transaction; safe to run again (a second run changes nothing).
 */
export async function reindexExercises(
  db: Db,
  opts: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ users: number; setsRenamed: number }> {
  const total = await db.$count(users);
  let cursor: string | undefined;
  let done = 0;
  let setsRenamed = 0;
  for (;;) {
    const batch = await db
      .select({ id: users.id })
      .from(users)
      .where(cursor ? gt(users.id, cursor) : undefined)
      .orderBy(asc(users.id))
      .limit(opts.batchSize ?? 200);
    if (batch.length === 0) break;
    for (const { id: userId } of batch) {
      setsRenamed += await db.transaction(async (tx) => {
        const pairs = await tx
          .selectDistinct({ sent: sets.sentExercise, name: sets.exercise })
          .from(sets)
          .where(eq(sets.userId, userId));
        const resolved = await resolveExerciseNames(
          tx,
          userId,
          pairs.map((p) => p.sent),
        );
        let renamed = 0;
        for (const { sent, name } of pairs) {
          const to = resolved.get(sent)!;
          if (to === name) continue;
          const moved = await tx
            .update(sets)
            .set({ exercise: to })
            .where(and(eq(sets.userId, userId), eq(sets.sentExercise, sent), eq(sets.exercise, name)))
            .returning({ sessionId: sets.sessionId });
          renamed += moved.length;
          await markSessionWeeksDirty(
            tx,
            userId,
            moved.map((m) => m.sessionId),
          );
        }
        return renamed;
      });
    }
    done += batch.length;
    cursor = batch.at(-1)!.id;
    opts.onProgress?.(done, total);
  }
  return { users: done, setsRenamed };
}
