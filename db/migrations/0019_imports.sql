CREATE TYPE "public"."import_format" AS ENUM('strong', 'hevy', 'fitnotes', 'liftosaur');--> statement-breakpoint
CREATE TYPE "public"."set_type" AS ENUM('normal', 'warmup', 'drop', 'failure');--> statement-breakpoint
CREATE TABLE "imports" (
	"user_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"format" "import_format" NOT NULL,
	"layout" text NOT NULL,
	"file_name" text,
	"sessions" integer DEFAULT 0 NOT NULL,
	"sets_new" integer DEFAULT 0 NOT NULL,
	"sets_duplicate" integer DEFAULT 0 NOT NULL,
	"sets_skipped" integer DEFAULT 0 NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone,
	CONSTRAINT "imports_user_id_id_pk" PRIMARY KEY("user_id","id")
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "import_id" uuid;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "import_key" text;--> statement-breakpoint
ALTER TABLE "sets" ADD COLUMN "set_type" "set_type" DEFAULT 'normal' NOT NULL;--> statement-breakpoint
ALTER TABLE "sets" ADD COLUMN "notes" text;--> statement-breakpoint
ALTER TABLE "sets" ADD COLUMN "import_id" uuid;--> statement-breakpoint
ALTER TABLE "sets" ADD COLUMN "import_key" text;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "imports_user_created_idx" ON "imports" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "sessions_import_idx" ON "sessions" USING btree ("user_id","import_id");--> statement-breakpoint
CREATE INDEX "sets_import_idx" ON "sets" USING btree ("user_id","import_id");--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_import_key_uq" UNIQUE("user_id","import_key");--> statement-breakpoint
ALTER TABLE "sets" ADD CONSTRAINT "sets_import_key_uq" UNIQUE("user_id","import_key");