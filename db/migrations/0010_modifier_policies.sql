-- Every modifier row names the policy that decided it. Rows written before were the rule's (by its version) or a
-- coach's override. The history is append-only (its trigger refuses UPDATE), so the trigger is off for the backfill.
ALTER TABLE "adaptive_modifiers" ADD COLUMN "policy" text;
--> statement-breakpoint
ALTER TABLE "adaptive_modifiers" DISABLE TRIGGER "adaptive_modifiers_no_update";
--> statement-breakpoint
UPDATE "adaptive_modifiers" SET "policy" = CASE WHEN "source" = 'coach' THEN 'coach' ELSE 'rules@' || "rule_version" END;
--> statement-breakpoint
ALTER TABLE "adaptive_modifiers" ENABLE TRIGGER "adaptive_modifiers_no_update";
--> statement-breakpoint
ALTER TABLE "adaptive_modifiers" ALTER COLUMN "policy" SET NOT NULL;
--> statement-breakpoint
-- The maintenance jobs (re-sealing a note, erasing a deleted coach's id) may not change the policy either.
CREATE OR REPLACE FUNCTION adaptive_modifiers_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  mode text := coalesce(current_setting('overload.maintenance', true), '');
BEGIN
  IF mode IN ('reseal', 'erase')
     AND (NEW.user_id, NEW.id, NEW.exercise, NEW.week_start, NEW.multiplier, NEW.rep_delta, NEW.previous_multiplier,
          NEW.previous_rep_delta, NEW.success_rate, NEW.sample_size, NEW.reason, NEW.rule_version, NEW.policy,
          NEW.source, NEW.created_at)
         IS NOT DISTINCT FROM
         (OLD.user_id, OLD.id, OLD.exercise, OLD.week_start, OLD.multiplier, OLD.rep_delta, OLD.previous_multiplier,
          OLD.previous_rep_delta, OLD.success_rate, OLD.sample_size, OLD.reason, OLD.rule_version, OLD.policy,
          OLD.source, OLD.created_at)
     AND (mode <> 'reseal' OR NEW.decided_by IS NOT DISTINCT FROM OLD.decided_by)
     AND (mode <> 'erase' OR NEW.note IS NOT DISTINCT FROM OLD.note)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'adaptive_modifiers is append-only: insert a new row instead of updating %', OLD.id;
END;
$$;
