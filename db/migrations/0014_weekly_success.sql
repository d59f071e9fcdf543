ALTER TABLE "exercise_weekly_stats" ADD COLUMN "sample" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "exercise_weekly_stats" ADD COLUMN "successes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Weeks materialized before these columns existed are read live (from their sets) until the analytics job has
-- materialized them again: marking them dirty is what makes it so.
INSERT INTO "analytics_dirty_weeks" ("user_id", "week_start")
SELECT DISTINCT "user_id", "week_start" FROM "exercise_weekly_stats"
ON CONFLICT DO NOTHING;
