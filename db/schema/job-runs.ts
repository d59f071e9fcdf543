import { jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/** One row per run of a batch job, period and partition: the unique key makes overlapping cron deliveries harmless. */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    job: text('job').notNull(),
    period: text('period').notNull(),
    /** The slice of lifters this run covers: `all`, or `k/n` (server/jobs/partition.ts). */
    partition: text('partition').notNull().default('all'),
    status: text('status').notNull().default('running'), // running | done | failed
    /** Where a resumable job stopped (e.g. the last user id processed). */
    cursor: text('cursor'),
    stats: jsonb('stats').notNull().default({}).$type<Record<string, unknown>>(),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [unique('job_runs_job_period_partition_uq').on(t.job, t.period, t.partition)],
);
