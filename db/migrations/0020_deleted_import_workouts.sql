CREATE TABLE "deleted_import_workouts" (
	"user_id" text NOT NULL,
	"import_key" text NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deleted_import_workouts_user_id_import_key_pk" PRIMARY KEY("user_id","import_key")
);
--> statement-breakpoint
ALTER TABLE "deleted_import_workouts" ADD CONSTRAINT "deleted_import_workouts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;