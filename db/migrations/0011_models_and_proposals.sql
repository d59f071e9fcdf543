CREATE TABLE "models" (
	"version" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "models_version_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"library" text NOT NULL,
	"features" jsonb NOT NULL,
	"schema_hash" text NOT NULL,
	"parameters" jsonb NOT NULL,
	"target" double precision NOT NULL,
	"seed" integer NOT NULL,
	"trained_from" date NOT NULL,
	"trained_to" date NOT NULL,
	"validation_from" date NOT NULL,
	"train_rows" integer NOT NULL,
	"validation_rows" integer NOT NULL,
	"metrics" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_proposals" (
	"user_id" text NOT NULL,
	"exercise" text NOT NULL,
	"week_start" date NOT NULL,
	"policy" text NOT NULL,
	"multiplier" double precision NOT NULL,
	"rep_delta" integer NOT NULL,
	"p_success" double precision,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_proposals_user_id_exercise_week_start_policy_pk" PRIMARY KEY("user_id","exercise","week_start","policy")
);
--> statement-breakpoint
ALTER TABLE "policy_proposals" ADD CONSTRAINT "policy_proposals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "policy_proposals_policy_week_idx" ON "policy_proposals" USING btree ("policy","week_start");--> statement-breakpoint
-- A trained model is evidence: its row never changes (a new version is a new row). Deleting stays possible.
CREATE FUNCTION models_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'models are immutable: train a new version instead of updating %', OLD.version;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER models_no_update BEFORE UPDATE ON models FOR EACH ROW EXECUTE FUNCTION models_immutable();
