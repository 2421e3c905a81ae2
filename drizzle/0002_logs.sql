-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it without superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
ALTER TABLE "instance_settings" ADD COLUMN "log_retention_days" integer DEFAULT 14 NOT NULL;--> statement-breakpoint
CREATE INDEX "deployment_logs_line_trgm_idx" ON "deployment_logs" USING gin ("line" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "deployment_logs_at_idx" ON "deployment_logs" USING btree ("at");