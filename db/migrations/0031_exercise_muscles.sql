CREATE TABLE "exercise_muscles" (
	"user_id" text NOT NULL,
	"exercise" text NOT NULL,
	"primary" text[] NOT NULL,
	"secondary" text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exercise_muscles_user_id_exercise_pk" PRIMARY KEY("user_id","exercise")
);
--> statement-breakpoint
CREATE TABLE "muscle_targets" (
	"user_id" text NOT NULL,
	"muscle" text NOT NULL,
	"min_sets" double precision NOT NULL,
	"max_sets" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "muscle_targets_user_id_muscle_pk" PRIMARY KEY("user_id","muscle")
);
--> statement-breakpoint
ALTER TABLE "exercise_muscles" ADD CONSTRAINT "exercise_muscles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "muscle_targets" ADD CONSTRAINT "muscle_targets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;