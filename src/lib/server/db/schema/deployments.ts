import { sql } from 'drizzle-orm';
import {
	bigint,
	bigserial,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';
import { DEPLOYMENT_STATES } from '../../../deployments/states.ts';
import { environments, projects } from './projects.ts';
import { users } from './users.ts';

export const deploymentState = pgEnum('deployment_state', DEPLOYMENT_STATES);

export const deploymentTrigger = pgEnum('deployment_trigger', [
	'push',
	'pull_request',
	'manual',
	'redeploy',
	'deploy_hook',
	'api',
	'cli',
	'promote',
	'rollback'
]);

export const deployments = pgTable(
	'deployments',
	{
		id: uuid().primaryKey().defaultRandom(),
		projectId: uuid()
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		/** Null for a branch preview. */
		environmentId: uuid().references(() => environments.id, { onDelete: 'set null' }),
		branch: text().notNull(),
		pullRequest: integer(),
		commitSha: text(),
		commitMessage: text(),
		trigger: deploymentTrigger().notNull(),
		state: deploymentState().notNull().default('queued'),
		failureStage: text(),
		failureReason: text(),
		/** The project settings this deployment was built and run with. */
		configSnapshot: jsonb().notNull(),
		/** The env vars it ran with, sealed as one value. */
		envSnapshotSealed: text(),
		image: text(),
		/** Promote: the deployment whose image this one runs (no build of its own). */
		sourceDeploymentId: uuid(),
		/** Set when retention removed the image: it can no longer be rolled back to. */
		imageRemovedAt: timestamp({ withTimezone: true }),
		containerId: text(),
		hostPort: integer(),
		/** graphile-worker job running the pipeline, and its pulse: a stale pulse means the worker died. */
		jobId: bigint({ mode: 'number' }),
		heartbeatAt: timestamp({ withTimezone: true }),
		createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		buildStartedAt: timestamp({ withTimezone: true }),
		startStartedAt: timestamp({ withTimezone: true }),
		readyAt: timestamp({ withTimezone: true }),
		/** A ready deployment whose container was retired (no alias points at it any more). */
		stoppedAt: timestamp({ withTimezone: true }),
		finishedAt: timestamp({ withTimezone: true }),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('deployments_project_created_idx').on(t.projectId, t.createdAt),
		index('deployments_state_idx').on(t.state)
	]
);

export const logStream = pgEnum('log_stream', ['build', 'stdout', 'stderr', 'platform']);

export const deploymentLogs = pgTable(
	'deployment_logs',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		deploymentId: uuid()
			.notNull()
			.references(() => deployments.id, { onDelete: 'cascade' }),
		stream: logStream().notNull(),
		line: text().notNull(),
		at: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('deployment_logs_deployment_idx').on(t.deploymentId, t.id),
		/** Text search per project (`line ILIKE '%q%'`); needs the pg_trgm extension. */
		index('deployment_logs_line_trgm_idx').using('gin', sql`${t.line} gin_trgm_ops`),
		/** Retention deletes by age. */
		index('deployment_logs_at_idx').on(t.at)
	]
);
