ALTER TABLE "strength_estimates" ADD COLUMN "habits" double precision[] DEFAULT '{}'::double precision[] NOT NULL;--> statement-breakpoint
-- Beliefs stored before the lifter's habits were part of them: each lifter's first week with one is marked dirty,
-- so they read live until the analytics job rebuilds them from there.
INSERT INTO "analytics_dirty_weeks" ("user_id", "week_start")
SELECT "user_id", date_trunc('week', min("date"))::date FROM "strength_estimates" GROUP BY "user_id"
ON CONFLICT DO NOTHING;
