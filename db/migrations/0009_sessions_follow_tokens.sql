CREATE TABLE "demo_accounts" (
	"user_id" text NOT NULL,
	"persona" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "demo_accounts_user_id_pk" PRIMARY KEY("user_id")
);
--> statement-breakpoint
ALTER TABLE "web_sessions" ADD COLUMN "api_token_id" uuid;--> statement-breakpoint
ALTER TABLE "demo_accounts" ADD CONSTRAINT "demo_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "web_sessions" ADD CONSTRAINT "web_sessions_user_id_api_token_id_api_tokens_user_id_id_fk" FOREIGN KEY ("user_id","api_token_id") REFERENCES "public"."api_tokens"("user_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Sessions made before they recorded their API token could outlive its revocation: everyone signs in again.
DELETE FROM "web_sessions";
