import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { jobRuns } from '@/db/schema';

/** Bookkeeping shared by the batch jobs: one `job_runs` row per (job, period). */
export type JobRun = typeof jobRuns.$inferSelect;

/** The run row for (job, period), created if missing; concurrent callers get the same row. */
export async function openRun(db: Db, job: string, period: string): Promise<JobRun> {
  await db
    .insert(jobRuns)
    .values({ job, period })
    .onConflictDoNothing({ target: [jobRuns.job, jobRuns.period] });
  const [run] = await db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), eq(jobRuns.period, period)));
  return run!;
}

export async function updateRun(
  db: Db,
  id: string,
  patch: {
    status?: 'running' | 'done' | 'failed';
    cursor?: string | null;
    stats?: Record<string, unknown>;
    error?: string | null;
  },
): Promise<void> {
  await db
    .update(jobRuns)
    .set({
      ...patch,
      ...(patch.status && patch.status !== 'running' ? { finishedAt: sql`now()` } : {}),
    })
    .where(eq(jobRuns.id, id));
}
