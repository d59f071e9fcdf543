ALTER TABLE "sets" DROP CONSTRAINT "sets_import_key_uq";--> statement-breakpoint
ALTER TABLE "sets" DROP CONSTRAINT "sets_user_id_users_id_fk";
--> statement-breakpoint
DROP INDEX "sets_import_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "sets_import_key_uq" ON "sets" USING btree ("user_id","import_key") WHERE "sets"."import_key" is not null;--> statement-breakpoint
CREATE INDEX "sets_import_idx" ON "sets" USING btree ("user_id","import_id") WHERE "sets"."import_id" is not null;