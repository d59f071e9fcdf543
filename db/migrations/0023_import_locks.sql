CREATE TABLE "import_locks" (
	"user_id" text PRIMARY KEY NOT NULL,
	"holder" uuid NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_locks" ADD CONSTRAINT "import_locks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;