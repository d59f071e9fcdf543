-- The modifier history is an audit trail: rows are appended, never changed. Deleting (a user's data, on
-- request) stays possible.
CREATE FUNCTION adaptive_modifiers_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'adaptive_modifiers is append-only: insert a new row instead of updating %', OLD.id;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER adaptive_modifiers_no_update BEFORE UPDATE ON adaptive_modifiers
  FOR EACH ROW EXECUTE FUNCTION adaptive_modifiers_append_only();
