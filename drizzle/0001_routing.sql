CREATE TYPE "public"."alias_kind" AS ENUM('production', 'environment', 'branch', 'pull_request');--> statement-breakpoint
CREATE TABLE "aliases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"kind" "alias_kind" NOT NULL,
	"key" text NOT NULL,
	"environment_id" uuid,
	"label" text NOT NULL,
	"deployment_id" uuid,
	"previous_deployment_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "aliases_label_unique" UNIQUE("label"),
	CONSTRAINT "aliases_project_kind_key" UNIQUE("project_id","kind","key")
);
--> statement-breakpoint
ALTER TABLE "instance_settings" ADD COLUMN "image_retention" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "instance_settings" ADD COLUMN "drain_seconds" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "production_auto_deploy_paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "production_auto_deploy_paused_reason" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "source_deployment_id" uuid;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "image_removed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "stopped_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "aliases" ADD CONSTRAINT "aliases_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aliases" ADD CONSTRAINT "aliases_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aliases" ADD CONSTRAINT "aliases_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aliases" ADD CONSTRAINT "aliases_previous_deployment_id_deployments_id_fk" FOREIGN KEY ("previous_deployment_id") REFERENCES "public"."deployments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "aliases_deployment_idx" ON "aliases" USING btree ("deployment_id");--> statement-breakpoint
-- Projects made before aliases existed get their production alias (label = slug, as product.md §5 says).
INSERT INTO "aliases" ("project_id", "kind", "key", "label", "environment_id")
SELECT p."id", 'production', '', p."slug", e."id" FROM "projects" p
LEFT JOIN "environments" e ON e."project_id" = p."id" AND e."is_production"
ON CONFLICT DO NOTHING;
