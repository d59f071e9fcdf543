CREATE TABLE "muscle_weekly_stats" (
	"user_id" text NOT NULL,
	"week_start" date NOT NULL,
	"muscle" text NOT NULL,
	"unmapped" text NOT NULL,
	"hard_sets" double precision NOT NULL,
	"sets" double precision NOT NULL,
	"tonnage_kg" double precision NOT NULL,
	CONSTRAINT "muscle_weekly_stats_user_id_week_start_muscle_unmapped_pk" PRIMARY KEY("user_id","week_start","muscle","unmapped")
);
--> statement-breakpoint
ALTER TABLE "muscle_weekly_stats" ADD CONSTRAINT "muscle_weekly_stats_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Every settled week is read live until the analytics job has materialized its muscle rows.
INSERT INTO "analytics_dirty_weeks" ("user_id", "week_start")
  SELECT DISTINCT "user_id", "week_start" FROM "exercise_weekly_stats"
  ON CONFLICT DO NOTHING;
