ALTER TABLE "instrument_events" DROP CONSTRAINT "instrument_events_user_id_users_id_fk";
--> statement-breakpoint
-- instrument_events has no foreign key to users (see db/schema/instrument-events.ts), so what ON DELETE CASCADE
-- did is done here: deleting users deletes their events, in the same statement's transaction.
CREATE FUNCTION users_delete_instrument_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM instrument_events WHERE user_id IN (SELECT id FROM gone);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER users_delete_instrument_events AFTER DELETE ON users
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION users_delete_instrument_events();
