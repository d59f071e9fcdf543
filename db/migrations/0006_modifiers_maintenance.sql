-- The modifier history stays append-only for the application. Two maintenance jobs may touch it, each inside
-- a transaction that declares itself with set_config('overload.maintenance', …, true):
--   'reseal': keys:rotate re-encrypts `note` under a new key (the words do not change, only their envelope);
--   'erase':  deleting a coach replaces its id in `decided_by` of its athletes' rows.
-- Every other column must stay exactly as it was.
CREATE OR REPLACE FUNCTION adaptive_modifiers_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  mode text := coalesce(current_setting('overload.maintenance', true), '');
BEGIN
  IF mode IN ('reseal', 'erase')
     AND (NEW.user_id, NEW.id, NEW.exercise, NEW.week_start, NEW.multiplier, NEW.rep_delta, NEW.previous_multiplier,
          NEW.previous_rep_delta, NEW.success_rate, NEW.sample_size, NEW.reason, NEW.rule_version, NEW.source, NEW.created_at)
         IS NOT DISTINCT FROM
         (OLD.user_id, OLD.id, OLD.exercise, OLD.week_start, OLD.multiplier, OLD.rep_delta, OLD.previous_multiplier,
          OLD.previous_rep_delta, OLD.success_rate, OLD.sample_size, OLD.reason, OLD.rule_version, OLD.source, OLD.created_at)
     AND (mode <> 'reseal' OR NEW.decided_by IS NOT DISTINCT FROM OLD.decided_by)
     AND (mode <> 'erase' OR NEW.note IS NOT DISTINCT FROM OLD.note)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'adaptive_modifiers is append-only: insert a new row instead of updating %', OLD.id;
END;
$$;
