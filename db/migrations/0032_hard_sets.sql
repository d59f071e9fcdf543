ALTER TABLE "exercise_weekly_stats" ADD COLUMN "hard_sets" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Weeks materialized before count no hard sets: marked dirty, they read live until the analytics job rebuilds them.
INSERT INTO "analytics_dirty_weeks" ("user_id", "week_start")
SELECT DISTINCT "user_id", "week_start" FROM "exercise_weekly_stats"
ON CONFLICT DO NOTHING;
