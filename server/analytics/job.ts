import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { analyticsDirtyWeeks, exerciseWeeklyStats, muscleWeeklyStats, sessions, userWeeklyStats } from '@/db/schema';
import { openRun, updateRun } from '@/server/jobs/job-runs';
import { inPartition, type Partition, WHOLE } from '@/server/jobs/partition';
import { refreshStrength } from '@/server/strength/materialize';
import { isoWeekStart } from '@/server/time/calendar';
import { wallClock } from '@/server/time/clock';
import { liveExerciseWeeks, liveUserWeeks } from './aggregates';
import { muscleWeeks } from './muscle-weeks';

/**
 * The nightly analytics job: re-materializes exactly the weeks marked dirty since it last ran (incremental),
 * a batch per transaction. Each batch claims its dirty rows with FOR UPDATE SKIP LOCKED, so overlapping runs
 * (cron may deliver twice) split the work instead of colliding; a week touched while its batch runs stays
 * dirty and is computed live on read until the next run. Re-running with nothing dirty changes nothing.
 */
export interface AnalyticsJobOptions {
  batchSize?: number;
  /** Stop claiming new batches after this long (a cron call's time budget); the rest waits for the next run. */
  timeBudgetMs?: number;
  /** Re-materialize every week that has sessions, not only dirty ones (after a rule change). */
  full?: boolean;
  /** Only these lifters' weeks (server/jobs/partition.ts); partitions run side by side without overlap. */
  partition?: Partition;
  /** Labels the run (its `job_runs` period); the work done does not depend on it. */
  now?: Date;
  onProgress?: (done: number, total: number) => void;
}

export interface AnalyticsJobResult {
  runId: string;
  weeks: number;
  exerciseRows: number;
  userRows: number;
  /** Estimated-strength beliefs stored (server/strength/). */
  strengthRows: number;
  remaining: number;
}

/** Marks the ISO weeks of these calendar dates dirty for a user: their aggregates are rebuilt on the next read or run. */
export async function markWeeksDirty(db: Db, userId: string, dates: readonly string[]): Promise<void> {
  const weeks = [...new Set(dates.map(isoWeekStart))];
  if (weeks.length === 0) return;
  await db
    .insert(analyticsDirtyWeeks)
    .values(weeks.map((weekStart) => ({ userId, weekStart })))
    .onConflictDoUpdate({
      target: [analyticsDirtyWeeks.userId, analyticsDirtyWeeks.weekStart],
      set: { touchedAt: sql`now()` },
    });
}

/** Marks every materialized week of one of a user's exercises dirty (how it counts changed, e.g. its muscles). */
export async function markExerciseWeeksDirty(db: Db, userId: string, exercise: string): Promise<void> {
  const e = exerciseWeeklyStats;
  await db
    .insert(analyticsDirtyWeeks)
    .select(
      sql`select ${e.userId}, ${e.weekStart}, now() from ${e} where ${and(eq(e.userId, userId), eq(e.exercise, exercise))}`,
    )
    .onConflictDoUpdate({
      target: [analyticsDirtyWeeks.userId, analyticsDirtyWeeks.weekStart],
      set: { touchedAt: sql`now()` },
    });
}

/** Marks the weeks of these sessions of a user dirty (their sets changed under them). */
export async function markSessionWeeksDirty(db: Db, userId: string, sessionIds: readonly string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  const dates = await db
    .select({ date: sessions.date })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), inArray(sessions.id, [...new Set(sessionIds)])));
  await markWeeksDirty(
    db,
    userId,
    dates.map((d) => d.date),
  );
}

/** Marks every week with sessions (or aggregates) dirty: the next run rebuilds all aggregates. */
export async function markAllWeeksDirty(db: Db): Promise<void> {
  const weeks = sql`select distinct ${sessions.userId}, date_trunc('week', ${sessions.date})::date from ${sessions}
                    union select ${exerciseWeeklyStats.userId}, ${exerciseWeeklyStats.weekStart} from ${exerciseWeeklyStats}
                    union select ${userWeeklyStats.userId}, ${userWeeklyStats.weekStart} from ${userWeeklyStats}
                    union select ${muscleWeeklyStats.userId}, ${muscleWeeklyStats.weekStart} from ${muscleWeeklyStats}`;
  await db
    .insert(analyticsDirtyWeeks)
    .select(sql`select w.*, now() from (${weeks}) as w`)
    .onConflictDoUpdate({
      target: [analyticsDirtyWeeks.userId, analyticsDirtyWeeks.weekStart],
      set: { touchedAt: sql`now()` },
    });
}

/** The claimed (user, week) pairs, as a condition on a table keyed by them. */
function claimedOf(
  table: typeof analyticsDirtyWeeks | typeof exerciseWeeklyStats | typeof userWeeklyStats | typeof muscleWeeklyStats,
  pairs: readonly { userId: string; weekStart: string }[],
): SQL {
  const list = sql.join(
    pairs.map((p) => sql`(${p.userId}, ${p.weekStart}::date)`),
    sql`, `,
  );
  return sql`(${table.userId}, ${table.weekStart}) in (${list})`;
}

async function runBatch(
  db: Db,
  batchSize: number,
  partition: Partition,
): Promise<{ weeks: number; exerciseRows: number; userRows: number; strengthRows: number }> {
  return db.transaction(async (tx) => {
    const claimed = await tx
      .select({ userId: analyticsDirtyWeeks.userId, weekStart: analyticsDirtyWeeks.weekStart })
      .from(analyticsDirtyWeeks)
      .where(inPartition(analyticsDirtyWeeks.userId, partition))
      .orderBy(asc(analyticsDirtyWeeks.userId), asc(analyticsDirtyWeeks.weekStart))
      .limit(batchSize)
      .for('update', { skipLocked: true });
    if (claimed.length === 0) return { weeks: 0, exerciseRows: 0, userRows: 0, strengthRows: 0 };

    // Strength first: a week's hard sets are judged by the estimated strength of their days.
    const strengthRows = await refreshStrength(tx, claimed);
    await tx.delete(exerciseWeeklyStats).where(claimedOf(exerciseWeeklyStats, claimed));
    await tx.delete(userWeeklyStats).where(claimedOf(userWeeklyStats, claimed));
    await tx.delete(muscleWeeklyStats).where(claimedOf(muscleWeeklyStats, claimed));
    const dirty = claimedOf(analyticsDirtyWeeks, claimed);
    const users = sql`values ${sql.join(
      [...new Set(claimed.map((c) => c.userId))].map((u) => sql`(${u}::text)`),
      sql`, `,
    )}`;
    // The muscle groups are summed from the exercise weeks the insert returns, not read back from the table: a read
    // of the claimed weeks scans all of it, for lack of a good estimate of the pairs.
    const e = exerciseWeeklyStats;
    const ex = await tx.insert(e).select(liveExerciseWeeks(tx, dirty)).returning({
      user_id: e.userId,
      exercise: e.exercise,
      week_start: e.weekStart,
      hard_sets: e.hardSets,
      sets: e.sets,
      volume_kg: e.volumeKg,
    });
    if (ex.length > 0) {
      const weeks = sql`json_populate_recordset(null::${e}, ${JSON.stringify(ex)}::json) w`;
      await tx.insert(muscleWeeklyStats).select(muscleWeeks(weeks, users));
    }
    const us = await tx
      .insert(userWeeklyStats)
      .select(liveUserWeeks(tx, dirty))
      .returning({ userId: userWeeklyStats.userId });
    await tx.delete(analyticsDirtyWeeks).where(dirty);
    return { weeks: claimed.length, exerciseRows: ex.length, userRows: us.length, strengthRows };
  });
}

export async function runAnalyticsJob(db: Db, opts: AnalyticsJobOptions = {}): Promise<AnalyticsJobResult> {
  const started = performance.now();
  const now = opts.now ?? wallClock();
  const batchSize = opts.batchSize ?? 500;
  const partition = opts.partition ?? WHOLE;
  const mine = inPartition(analyticsDirtyWeeks.userId, partition);
  if (opts.full) await markAllWeeksDirty(db);
  const run = await openRun(db, 'analytics', now.toISOString(), partition);
  const total = await db.$count(analyticsDirtyWeeks, mine);
  const totals = { weeks: 0, exerciseRows: 0, userRows: 0, strengthRows: 0 };
  opts.onProgress?.(0, total);
  try {
    for (;;) {
      if (opts.timeBudgetMs !== undefined && performance.now() - started > opts.timeBudgetMs) break;
      const batch = await runBatch(db, batchSize, partition);
      if (batch.weeks === 0) break;
      totals.weeks += batch.weeks;
      totals.exerciseRows += batch.exerciseRows;
      totals.userRows += batch.userRows;
      totals.strengthRows += batch.strengthRows;
      opts.onProgress?.(Math.min(totals.weeks, total), total);
      await updateRun(db, run.id, { stats: totals });
    }
    const remaining = await db.$count(analyticsDirtyWeeks, mine);
    await updateRun(db, run.id, { status: remaining === 0 ? 'done' : 'running', stats: { ...totals, remaining } });
    return { runId: run.id, ...totals, remaining };
  } catch (err) {
    await updateRun(db, run.id, { status: 'failed', error: (err as Error).message, stats: totals });
    throw err;
  }
}
