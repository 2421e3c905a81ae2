import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	index,
	integer,
	pgEnum,
	pgTable,
	text,
	timestamp,
	unique,
	uuid
} from 'drizzle-orm/pg-core';
import { teams } from './teams.ts';
import { users } from './users.ts';

export const sourceKind = pgEnum('source_kind', ['https', 'ssh', 'local', 'github']);

export const projects = pgTable(
	'projects',
	{
		id: uuid().primaryKey().defaultRandom(),
		teamId: uuid()
			.notNull()
			.references(() => teams.id, { onDelete: 'cascade' }),
		/** Fixed at creation: it is part of every hostname, so it is unique on the instance. */
		slug: text().notNull().unique(),
		name: text().notNull(),
		sourceKind: sourceKind().notNull(),
		repoUrl: text().notNull(),
		/** SSH deploy key: the public half is shown to the user, the private half sealed. */
		deployKeyPublic: text(),
		deployKeySealed: text(),
		productionBranch: text().notNull().default('main'),
		rootDirectory: text().notNull().default(''),
		preset: text(),
		dockerfilePath: text(),
		installCommand: text(),
		buildCommand: text(),
		startCommand: text(),
		port: integer().notNull().default(8000),
		healthCheckPath: text().notNull().default('/'),
		cpuMillicores: integer().notNull().default(1000),
		memoryMb: integer().notNull().default(512),
		autoDeploy: boolean().notNull().default(true),
		/** Set by a production rollback: pushes stop going live on production until it is cleared. */
		productionAutoDeployPausedAt: timestamp({ withTimezone: true }),
		productionAutoDeployPausedReason: text(),
		previewsEnabled: boolean().notNull().default(true),
		createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('projects_team_idx').on(t.teamId),
		check('projects_port_range', sql`${t.port} between 1 and 65535`)
	]
);

export const environments = pgTable(
	'environments',
	{
		id: uuid().primaryKey().defaultRandom(),
		projectId: uuid()
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		name: text().notNull(),
		slug: text().notNull(),
		isProduction: boolean().notNull().default(false),
		/** `main`, `release/*` or `*-hotfix`; the production environment follows the project's branch. */
		branchPattern: text(),
		/** Order in which patterns are tried: first match wins. */
		position: integer().notNull().default(0),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique('environments_project_slug_key').on(t.projectId, t.slug)]
);

export const envVars = pgTable(
	'env_vars',
	{
		id: uuid().primaryKey().defaultRandom(),
		projectId: uuid()
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		/** Null: applies to every environment; a per-environment value overrides it. */
		environmentId: uuid().references(() => environments.id, { onDelete: 'cascade' }),
		/** Only for one preview branch. */
		branch: text(),
		key: text().notNull(),
		/** AES-256-GCM, `v1.<key id>.<iv>.<tag>.<ciphertext>`: never stored or logged in clear. */
		valueSealed: text().notNull(),
		isSecret: boolean().notNull().default(false),
		isBuildTime: boolean().notNull().default(false),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		unique('env_vars_scope_key')
			.on(t.projectId, t.environmentId, t.branch, t.key)
			.nullsNotDistinct()
	]
);

export const deployHooks = pgTable('deploy_hooks', {
	id: uuid().primaryKey().defaultRandom(),
	projectId: uuid()
		.notNull()
		.references(() => projects.id, { onDelete: 'cascade' }),
	name: text().notNull(),
	/** SHA-256 of the secret in the hook URL. */
	tokenHash: text().notNull().unique(),
	branch: text(),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});
