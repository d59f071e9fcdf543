CREATE TABLE "analytics_dirty_weeks" (
	"user_id" text NOT NULL,
	"week_start" date NOT NULL,
	"touched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "analytics_dirty_weeks_user_id_week_start_pk" PRIMARY KEY("user_id","week_start")
);
--> statement-breakpoint
CREATE TABLE "exercise_weekly_stats" (
	"user_id" text NOT NULL,
	"exercise" text NOT NULL,
	"week_start" date NOT NULL,
	"sets" integer NOT NULL,
	"volume_kg" double precision NOT NULL,
	"best_weight" double precision,
	"best_weight_date" date,
	"best_e1rm" double precision,
	"best_e1rm_weight" double precision,
	"best_e1rm_reps" integer,
	"best_e1rm_date" date,
	"best_weight_3" double precision,
	"best_weight_5" double precision,
	"best_weight_8" double precision,
	"best_weight_10" double precision,
	CONSTRAINT "exercise_weekly_stats_user_id_exercise_week_start_pk" PRIMARY KEY("user_id","exercise","week_start")
);
--> statement-breakpoint
CREATE TABLE "user_weekly_stats" (
	"user_id" text NOT NULL,
	"week_start" date NOT NULL,
	"sessions" integer NOT NULL,
	"calories_sum" double precision,
	"calories_count" integer NOT NULL,
	CONSTRAINT "user_weekly_stats_user_id_week_start_pk" PRIMARY KEY("user_id","week_start")
);
--> statement-breakpoint
ALTER TABLE "analytics_dirty_weeks" ADD CONSTRAINT "analytics_dirty_weeks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exercise_weekly_stats" ADD CONSTRAINT "exercise_weekly_stats_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_weekly_stats" ADD CONSTRAINT "user_weekly_stats_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exercise_weekly_stats_week_idx" ON "exercise_weekly_stats" USING btree ("user_id","week_start");