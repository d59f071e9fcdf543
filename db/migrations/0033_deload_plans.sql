CREATE TABLE "deload_cancellations" (
	"user_id" text NOT NULL,
	"plan_id" uuid NOT NULL,
	"from_week" date NOT NULL,
	"cancelled_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deload_cancellations_user_id_plan_id_pk" PRIMARY KEY("user_id","plan_id")
);
--> statement-breakpoint
CREATE TABLE "deload_plans" (
	"user_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"start_week" date NOT NULL,
	"build_weeks" integer NOT NULL,
	"deload_weeks" integer NOT NULL,
	"cycles" integer NOT NULL,
	"exercises" text[],
	"load_factor" double precision NOT NULL,
	"set_factor" double precision NOT NULL,
	"planned_by" text NOT NULL,
	"source" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deload_plans_user_id_id_pk" PRIMARY KEY("user_id","id"),
	CONSTRAINT "deload_plans_shape" CHECK ("deload_plans"."build_weeks" >= 0 and "deload_plans"."deload_weeks" >= 1 and "deload_plans"."cycles" >= 1),
	CONSTRAINT "deload_plans_factors" CHECK ("deload_plans"."load_factor" > 0 and "deload_plans"."load_factor" <= 1 and "deload_plans"."set_factor" > 0 and "deload_plans"."set_factor" <= 1)
);
--> statement-breakpoint
ALTER TABLE "deload_cancellations" ADD CONSTRAINT "deload_cancellations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deload_cancellations" ADD CONSTRAINT "deload_cancellations_user_id_plan_id_deload_plans_user_id_id_fk" FOREIGN KEY ("user_id","plan_id") REFERENCES "public"."deload_plans"("user_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deload_plans" ADD CONSTRAINT "deload_plans_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deload_plans_user_start_idx" ON "deload_plans" USING btree ("user_id","start_week");--> statement-breakpoint
-- Plans are a history like the modifiers: appended, never changed (a cancellation is a row of its own). Two
-- maintenance transactions may touch them (set_config('overload.maintenance', …, true)): 'reseal' re-encrypts
-- `note`; 'erase' replaces a deleted coach's id in `planned_by` / `cancelled_by`. Deleting stays possible.
CREATE FUNCTION deload_plans_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  mode text := coalesce(current_setting('overload.maintenance', true), '');
BEGIN
  IF mode IN ('reseal', 'erase')
     AND (NEW.user_id, NEW.id, NEW.kind, NEW.start_week, NEW.build_weeks, NEW.deload_weeks, NEW.cycles, NEW.exercises,
          NEW.load_factor, NEW.set_factor, NEW.source, NEW.created_at)
         IS NOT DISTINCT FROM
         (OLD.user_id, OLD.id, OLD.kind, OLD.start_week, OLD.build_weeks, OLD.deload_weeks, OLD.cycles, OLD.exercises,
          OLD.load_factor, OLD.set_factor, OLD.source, OLD.created_at)
     AND (mode <> 'reseal' OR NEW.planned_by IS NOT DISTINCT FROM OLD.planned_by)
     AND (mode <> 'erase' OR NEW.note IS NOT DISTINCT FROM OLD.note)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'deload_plans is append-only: cancel a plan instead of changing %', OLD.id;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER deload_plans_no_update BEFORE UPDATE ON deload_plans
  FOR EACH ROW EXECUTE FUNCTION deload_plans_append_only();
--> statement-breakpoint
CREATE FUNCTION deload_cancellations_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('overload.maintenance', true), '') = 'erase'
     AND (NEW.user_id, NEW.plan_id, NEW.from_week, NEW.created_at)
         IS NOT DISTINCT FROM (OLD.user_id, OLD.plan_id, OLD.from_week, OLD.created_at)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'deload_cancellations is append-only: %', OLD.plan_id;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER deload_cancellations_no_update BEFORE UPDATE ON deload_cancellations
  FOR EACH ROW EXECUTE FUNCTION deload_cancellations_append_only();
