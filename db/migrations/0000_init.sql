CREATE TYPE "public"."feedback_ref_type" AS ENUM('recommendation', 'session');--> statement-breakpoint
CREATE TYPE "public"."instrument_event_type" AS ENUM('profile_snapshot', 'session_submitted', 'session_finished');--> statement-breakpoint
CREATE TYPE "public"."modifier_source" AS ENUM('auto', 'coach');--> statement-breakpoint
CREATE TYPE "public"."profile_source" AS ENUM('user', 'auto');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('lifter', 'coach');--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"role" "user_role" DEFAULT 'lifter' NOT NULL,
	"display_name" text,
	"analytics_opt_in" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coach_athletes" (
	"user_id" text NOT NULL,
	"coach_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coach_athletes_user_id_coach_id_pk" PRIMARY KEY("user_id","coach_id")
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"user_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_user_id_id_pk" PRIMARY KEY("user_id","id")
);
--> statement-breakpoint
CREATE TABLE "profile_versions" (
	"user_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"profile_id" uuid NOT NULL,
	"snapshot_json" jsonb NOT NULL,
	"effective_date" date NOT NULL,
	"source" "profile_source" DEFAULT 'user' NOT NULL,
	"notes" text,
	"weight_kg" double precision GENERATED ALWAYS AS (((snapshot_json ->> 'weightKg')::double precision)) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "profile_versions_user_id_id_pk" PRIMARY KEY("user_id","id")
);
--> statement-breakpoint
CREATE TABLE "profiles" (
	"user_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"sex" text,
	"age" integer,
	"current_weight_kg" double precision,
	"height_cm" double precision,
	"time_zone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "profiles_user_id_id_pk" PRIMARY KEY("user_id","id"),
	CONSTRAINT "profiles_user_uq" UNIQUE("user_id")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"user_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"date" date NOT NULL,
	"performed_at" timestamp with time zone,
	"day_type" text,
	"calories" integer,
	"finished" boolean DEFAULT false NOT NULL,
	"rec_meta" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sessions_user_id_id_pk" PRIMARY KEY("user_id","id")
);
--> statement-breakpoint
CREATE TABLE "sets" (
	"user_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"exercise" text NOT NULL,
	"set_number" integer NOT NULL,
	"rec_weight" double precision,
	"rec_reps" integer,
	"actual_weight" double precision,
	"actual_reps" integer,
	"intensity" double precision,
	"done" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sets_user_id_id_pk" PRIMARY KEY("user_id","id"),
	CONSTRAINT "sets_session_set_number_uq" UNIQUE("user_id","session_id","set_number")
);
--> statement-breakpoint
CREATE TABLE "recommendations" (
	"user_id" text NOT NULL,
	"id" text NOT NULL,
	"exercise" text,
	"rec_payload" jsonb NOT NULL,
	"rec_source" text,
	"session_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recommendations_user_id_id_pk" PRIMARY KEY("user_id","id")
);
--> statement-breakpoint
CREATE TABLE "feedback_events" (
	"user_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"ref_type" "feedback_ref_type" NOT NULL,
	"ref_id" text NOT NULL,
	"helpful" boolean NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_events_user_id_id_pk" PRIMARY KEY("user_id","id")
);
--> statement-breakpoint
CREATE TABLE "instrument_events" (
	"user_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"type" "instrument_event_type" NOT NULL,
	"payload" jsonb NOT NULL,
	"event_id" uuid,
	"occurred_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"derived_at" timestamp with time zone DEFAULT now() NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instrument_events_user_id_id_pk" PRIMARY KEY("user_id","id"),
	CONSTRAINT "instrument_events_event_id_uq" UNIQUE("user_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "adaptive_modifiers" (
	"user_id" text NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"exercise" text NOT NULL,
	"week_start" date NOT NULL,
	"multiplier" double precision NOT NULL,
	"rep_delta" integer DEFAULT 0 NOT NULL,
	"previous_multiplier" double precision,
	"previous_rep_delta" integer,
	"success_rate" double precision,
	"sample_size" integer DEFAULT 0 NOT NULL,
	"reason" text NOT NULL,
	"rule_version" text NOT NULL,
	"source" "modifier_source" NOT NULL,
	"decided_by" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "adaptive_modifiers_user_id_id_pk" PRIMARY KEY("user_id","id")
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job" text NOT NULL,
	"period" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"cursor" text,
	"stats" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "job_runs_job_period_uq" UNIQUE("job","period")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"user_id" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
ALTER TABLE "coach_athletes" ADD CONSTRAINT "coach_athletes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coach_athletes" ADD CONSTRAINT "coach_athletes_coach_id_users_id_fk" FOREIGN KEY ("coach_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_versions" ADD CONSTRAINT "profile_versions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_versions" ADD CONSTRAINT "profile_versions_user_id_profile_id_profiles_user_id_id_fk" FOREIGN KEY ("user_id","profile_id") REFERENCES "public"."profiles"("user_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sets" ADD CONSTRAINT "sets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sets" ADD CONSTRAINT "sets_user_id_session_id_sessions_user_id_id_fk" FOREIGN KEY ("user_id","session_id") REFERENCES "public"."sessions"("user_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_user_id_session_id_sessions_user_id_id_fk" FOREIGN KEY ("user_id","session_id") REFERENCES "public"."sessions"("user_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_events" ADD CONSTRAINT "feedback_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instrument_events" ADD CONSTRAINT "instrument_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adaptive_modifiers" ADD CONSTRAINT "adaptive_modifiers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adaptive_modifiers" ADD CONSTRAINT "adaptive_modifiers_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "coach_athletes_coach_idx" ON "coach_athletes" USING btree ("coach_id");--> statement-breakpoint
CREATE INDEX "api_tokens_hash_idx" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "profile_versions_user_date_idx" ON "profile_versions" USING btree ("user_id","effective_date");--> statement-breakpoint
CREATE INDEX "sessions_user_date_idx" ON "sessions" USING btree ("user_id","date");--> statement-breakpoint
CREATE INDEX "sets_user_exercise_idx" ON "sets" USING btree ("user_id","exercise");--> statement-breakpoint
CREATE INDEX "recommendations_user_exercise_idx" ON "recommendations" USING btree ("user_id","exercise");--> statement-breakpoint
CREATE INDEX "feedback_events_ref_idx" ON "feedback_events" USING btree ("user_id","ref_type","ref_id");--> statement-breakpoint
CREATE INDEX "instrument_events_received_idx" ON "instrument_events" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "adaptive_modifiers_auto_uq" ON "adaptive_modifiers" USING btree ("user_id","exercise","week_start") WHERE "adaptive_modifiers"."source" = 'auto';--> statement-breakpoint
CREATE INDEX "adaptive_modifiers_user_week_idx" ON "adaptive_modifiers" USING btree ("user_id","week_start");