CREATE TYPE "public"."exercise_policy" AS ENUM('load', 'reps');--> statement-breakpoint
CREATE TABLE "exercise_policies" (
	"user_id" text NOT NULL,
	"exercise" text NOT NULL,
	"policy" "exercise_policy" DEFAULT 'load' NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exercise_policies_user_id_exercise_pk" PRIMARY KEY("user_id","exercise")
);
--> statement-breakpoint
ALTER TABLE "adaptive_modifiers" DROP CONSTRAINT "adaptive_modifiers_decided_by_users_id_fk";
--> statement-breakpoint
ALTER TABLE "exercise_policies" ADD CONSTRAINT "exercise_policies_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;