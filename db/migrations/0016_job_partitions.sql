ALTER TABLE "job_runs" DROP CONSTRAINT "job_runs_job_period_uq";--> statement-breakpoint
ALTER TABLE "job_runs" ADD COLUMN "partition" text DEFAULT 'all' NOT NULL;--> statement-breakpoint
ALTER TABLE "job_runs" ADD CONSTRAINT "job_runs_job_period_partition_uq" UNIQUE("job","period","partition");