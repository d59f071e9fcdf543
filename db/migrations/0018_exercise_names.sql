CREATE TABLE "exercise_aliases" (
	"user_id" text NOT NULL,
	"key" text NOT NULL,
	"exercise" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exercise_aliases_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
ALTER TABLE "sets" ADD COLUMN "sent_exercise" text;--> statement-breakpoint
-- Existing sets were sent under the name they carry.
UPDATE "sets" SET "sent_exercise" = "exercise";--> statement-breakpoint
ALTER TABLE "sets" ALTER COLUMN "sent_exercise" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "exercise_aliases" ADD CONSTRAINT "exercise_aliases_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exercise_aliases_exercise_idx" ON "exercise_aliases" USING btree ("user_id","exercise");