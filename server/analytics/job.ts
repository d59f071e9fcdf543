import { sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';
import { openRun, updateRun } from '@/server/jobs/job-runs';
import {
  EXERCISE_WEEK_COLUMNS,
  exerciseWeeksQuery,
  targetPairs,
  USER_WEEK_COLUMNS,
  userWeeksQuery,
  type WeekPair,
} from './aggregates';

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
  now?: Date;
  onProgress?: (done: number, total: number) => void;
}

export interface AnalyticsJobResult {
  runId: string;
  weeks: number;
  exerciseRows: number;
  userRows: number;
  remaining: number;
}

async function dirtyCount(db: Db): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from analytics_dirty_weeks`);
  return r!.n;
}

/** Marks every week with sessions dirty: the next run rebuilds all aggregates. */
export async function markAllWeeksDirty(db: Db): Promise<void> {
  await db.execute(sql`
    insert into analytics_dirty_weeks (user_id, week_start)
    select distinct user_id, date_trunc('week', date)::date from sessions
    union
    select user_id, week_start from exercise_weekly_stats
    union
    select user_id, week_start from user_weekly_stats
    on conflict (user_id, week_start) do update set touched_at = now()`);
}

async function runBatch(db: Db, batchSize: number): Promise<{ weeks: number; exerciseRows: number; userRows: number }> {
  return db.transaction(async (tx) => {
    const claimed = await rows<{ user_id: string; week_start: string }>(
      tx,
      sql`select user_id, week_start::text as week_start from analytics_dirty_weeks
          order by user_id, week_start limit ${batchSize} for update skip locked`,
    );
    if (claimed.length === 0) return { weeks: 0, exerciseRows: 0, userRows: 0 };
    const pairs: WeekPair[] = claimed.map((c) => ({ userId: c.user_id, weekStart: c.week_start }));

    await tx.execute(sql`delete from exercise_weekly_stats m using ${targetPairs(pairs)}
                         where m.user_id = t.user_id and m.week_start = t.week_start`);
    await tx.execute(sql`delete from user_weekly_stats m using ${targetPairs(pairs)}
                         where m.user_id = t.user_id and m.week_start = t.week_start`);
    const ex = await rows<{ one: number }>(
      tx,
      sql`insert into exercise_weekly_stats (${EXERCISE_WEEK_COLUMNS})
          select user_id, exercise, week_start::date, sets, volume_kg, best_weight, best_weight_date::date, best_e1rm,
                 best_e1rm_weight, best_e1rm_reps, best_e1rm_date::date, best_weight_3, best_weight_5, best_weight_8, best_weight_10
          from (${exerciseWeeksQuery(targetPairs(pairs))}) agg
          returning 1 as one`,
    );
    const us = await rows<{ one: number }>(
      tx,
      sql`insert into user_weekly_stats (${USER_WEEK_COLUMNS})
          select user_id, week_start::date, sessions, calories_sum, calories_count
          from (${userWeeksQuery(targetPairs(pairs))}) agg
          returning 1 as one`,
    );
    await tx.execute(sql`delete from analytics_dirty_weeks d using ${targetPairs(pairs)}
                         where d.user_id = t.user_id and d.week_start = t.week_start`);
    return { weeks: pairs.length, exerciseRows: ex.length, userRows: us.length };
  });
}

export async function runAnalyticsJob(db: Db, opts: AnalyticsJobOptions = {}): Promise<AnalyticsJobResult> {
  const started = Date.now();
  const now = opts.now ?? new Date();
  const batchSize = opts.batchSize ?? 500;
  if (opts.full) await markAllWeeksDirty(db);
  const run = await openRun(db, 'analytics', now.toISOString());
  const total = await dirtyCount(db);
  const totals = { weeks: 0, exerciseRows: 0, userRows: 0 };
  opts.onProgress?.(0, total);
  try {
    for (;;) {
      if (opts.timeBudgetMs !== undefined && Date.now() - started > opts.timeBudgetMs) break;
      const batch = await runBatch(db, batchSize);
      if (batch.weeks === 0) break;
      totals.weeks += batch.weeks;
      totals.exerciseRows += batch.exerciseRows;
      totals.userRows += batch.userRows;
      opts.onProgress?.(Math.min(totals.weeks, total), total);
      await updateRun(db, run.id, { stats: totals });
    }
    const remaining = await dirtyCount(db);
    await updateRun(db, run.id, { status: remaining === 0 ? 'done' : 'running', stats: { ...totals, remaining } });
    return { runId: run.id, ...totals, remaining };
  } catch (err) {
    await updateRun(db, run.id, { status: 'failed', error: (err as Error).message, stats: totals });
    throw err;
  }
}
