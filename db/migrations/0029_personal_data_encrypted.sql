-- Profile snapshots, instrument payloads and the current profile's health data become encrypted text. Rows
-- written before stay readable as plain JSON text until `npm run keys:rotate` seals them.
-- The bodyweight stops being derived from the snapshot (the database can no longer read it): the app writes it.
ALTER TABLE "profile_versions" ALTER COLUMN "weight_kg" DROP EXPRESSION;--> statement-breakpoint
ALTER TABLE "profile_versions" ALTER COLUMN "snapshot_json" SET DATA TYPE text USING "snapshot_json"::text;--> statement-breakpoint
ALTER TABLE "instrument_events" ALTER COLUMN "payload" SET DATA TYPE text USING "payload"::text;--> statement-breakpoint
ALTER TABLE "profiles" ALTER COLUMN "age" SET DATA TYPE text USING "age"::text;--> statement-breakpoint
ALTER TABLE "profiles" ALTER COLUMN "current_weight_kg" SET DATA TYPE text USING "current_weight_kg"::text;--> statement-breakpoint
ALTER TABLE "profiles" ALTER COLUMN "height_cm" SET DATA TYPE text USING "height_cm"::text;
