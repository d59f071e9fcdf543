import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { jobRuns } from '@/db/schema';
import { type Partition, partitionLabel, WHOLE } from './partition';

/** Bookkeeping shared by the batch jobs: one `job_runs` row per (job, period, partition). */
export type JobRun = typeof jobRuns.$inferSelect;

/** The run row for (job, period, partition), created if missing; concurrent callers get the same row. */
export async function openRun(db: Db, job: string, period: string, partition: Partition = WHOLE): Promise<JobRun> {
  const label = partitionLabel(partition);
  await db
    .insert(jobRuns)
    .values({ job, period, partition: label })
    .onConflictDoNothing({ target: [jobRuns.job, jobRuns.period, jobRuns.partition] });
  const [run] = await db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), eq(jobRuns.period, period), eq(jobRuns.partition, label)));
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
