CREATE TABLE "experiment_arms" (
	"experiment_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"policy" text NOT NULL,
	"weight" double precision NOT NULL,
	"epsilon" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "experiment_arms_experiment_id_name_pk" PRIMARY KEY("experiment_id","name"),
	CONSTRAINT "experiment_arms_position_uq" UNIQUE("experiment_id","position")
);
--> statement-breakpoint
CREATE TABLE "experiment_assignments" (
	"user_id" text NOT NULL,
	"experiment_id" uuid NOT NULL,
	"arm" text NOT NULL,
	"bucket" double precision NOT NULL,
	"enrolled_week" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "experiment_assignments_user_id_experiment_id_pk" PRIMARY KEY("user_id","experiment_id")
);
--> statement-breakpoint
CREATE TABLE "experiment_exposures" (
	"user_id" text NOT NULL,
	"experiment_id" uuid NOT NULL,
	"week_start" date NOT NULL,
	"arm" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "experiment_exposures_user_id_experiment_id_week_start_pk" PRIMARY KEY("user_id","experiment_id","week_start")
);
--> statement-breakpoint
CREATE TABLE "experiments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"hypothesis" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"salt" text NOT NULL,
	"primary_metric" text NOT NULL,
	"guardrails" jsonb NOT NULL,
	"planned_lifters_per_arm" integer,
	"planned_end_week" date,
	"start_week" date,
	"end_week" date,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"stopped_at" timestamp with time zone,
	CONSTRAINT "experiments_key_uq" UNIQUE("key"),
	CONSTRAINT "experiments_status_ck" CHECK ("experiments"."status" in ('draft', 'running', 'stopped'))
);
--> statement-breakpoint
ALTER TABLE "adaptive_modifiers" ADD COLUMN "propensity" double precision DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "experiment_arms" ADD CONSTRAINT "experiment_arms_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_assignments" ADD CONSTRAINT "experiment_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_assignments" ADD CONSTRAINT "experiment_assignments_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_exposures" ADD CONSTRAINT "experiment_exposures_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_exposures" ADD CONSTRAINT "experiment_exposures_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "experiment_assignments_experiment_idx" ON "experiment_assignments" USING btree ("experiment_id","arm");--> statement-breakpoint
CREATE INDEX "experiment_exposures_experiment_idx" ON "experiment_exposures" USING btree ("experiment_id","week_start");--> statement-breakpoint
CREATE UNIQUE INDEX "experiments_one_running_uq" ON "experiments" USING btree ("status") WHERE "experiments"."status" = 'running';--> statement-breakpoint
-- The maintenance jobs (re-sealing a note, erasing a deleted coach's id) may not change the propensity either.
CREATE OR REPLACE FUNCTION adaptive_modifiers_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  mode text := coalesce(current_setting('overload.maintenance', true), '');
BEGIN
  IF mode IN ('reseal', 'erase')
     AND (NEW.user_id, NEW.id, NEW.exercise, NEW.week_start, NEW.multiplier, NEW.rep_delta, NEW.previous_multiplier,
          NEW.previous_rep_delta, NEW.success_rate, NEW.sample_size, NEW.reason, NEW.rule_version, NEW.policy,
          NEW.propensity, NEW.source, NEW.created_at)
         IS NOT DISTINCT FROM
         (OLD.user_id, OLD.id, OLD.exercise, OLD.week_start, OLD.multiplier, OLD.rep_delta, OLD.previous_multiplier,
          OLD.previous_rep_delta, OLD.success_rate, OLD.sample_size, OLD.reason, OLD.rule_version, OLD.policy,
          OLD.propensity, OLD.source, OLD.created_at)
     AND (mode <> 'reseal' OR NEW.decided_by IS NOT DISTINCT FROM OLD.decided_by)
     AND (mode <> 'erase' OR NEW.note IS NOT DISTINCT FROM OLD.note)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'adaptive_modifiers is append-only: insert a new row instead of updating %', OLD.id;
END;
$$;
