ALTER TABLE "strength_estimates" ADD COLUMN "suspect_level" double precision;--> statement-breakpoint
ALTER TABLE "strength_estimates" ADD COLUMN "suspect_var" double precision;--> statement-breakpoint
ALTER TABLE "strength_estimates" ADD COLUMN "suspect_date" date;