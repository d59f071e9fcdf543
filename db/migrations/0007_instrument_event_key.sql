ALTER TABLE "instrument_events" DROP CONSTRAINT "instrument_events_event_id_uq";--> statement-breakpoint
ALTER TABLE "instrument_events" DROP CONSTRAINT "instrument_events_user_id_id_pk";--> statement-breakpoint
ALTER TABLE "instrument_events" ALTER COLUMN "event_id" SET DEFAULT gen_random_uuid();--> statement-breakpoint
-- Events stored without a client id get a server-drawn one, so event_id can be the key.
UPDATE "instrument_events" SET "event_id" = gen_random_uuid() WHERE "event_id" IS NULL;--> statement-breakpoint
ALTER TABLE "instrument_events" ALTER COLUMN "event_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "instrument_events" ADD CONSTRAINT "instrument_events_user_id_event_id_pk" PRIMARY KEY("user_id","event_id");--> statement-breakpoint
ALTER TABLE "instrument_events" DROP COLUMN "id";