CREATE TABLE "strength_estimates" (
	"user_id" text NOT NULL,
	"exercise" text NOT NULL,
	"date" date NOT NULL,
	"level" double precision NOT NULL,
	"trend" double precision NOT NULL,
	"level_var" double precision NOT NULL,
	"level_trend_cov" double precision NOT NULL,
	"trend_var" double precision NOT NULL,
	"estimate_kg" double precision NOT NULL,
	"low_kg" double precision NOT NULL,
	"high_kg" double precision NOT NULL,
	"trend_pct_per_week" double precision NOT NULL,
	CONSTRAINT "strength_estimates_user_id_exercise_date_pk" PRIMARY KEY("user_id","exercise","date")
);
--> statement-breakpoint
ALTER TABLE "strength_estimates" ADD CONSTRAINT "strength_estimates_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;