import { index, pgEnum, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { deployments } from './deployments.ts';
import { environments, projects } from './projects.ts';

export const aliasKind = pgEnum('alias_kind', [
	'production',
	'environment',
	'branch',
	'pull_request'
]);

/**
 * A stable hostname of a project (production, an environment, a branch or a pull request) that
 * points at one deployment. Moving `deploymentId` is how a deploy goes live, a rollback and a
 * promote: the route table is built from these rows.
 */
export const aliases = pgTable(
	'aliases',
	{
		id: uuid().primaryKey().defaultRandom(),
		projectId: uuid()
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		kind: aliasKind().notNull(),
		/** '' for production, the environment slug, the branch name or the pull request number. */
		key: text().notNull(),
		environmentId: uuid().references(() => environments.id, { onDelete: 'cascade' }),
		/** DNS label under the deploy domain; fixed when the alias is first made, unique. */
		label: text().notNull().unique(),
		deploymentId: uuid().references(() => deployments.id, { onDelete: 'set null' }),
		/** What it pointed at before: kept running for an instant rollback. */
		previousDeploymentId: uuid().references(() => deployments.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		unique('aliases_project_kind_key').on(t.projectId, t.kind, t.key),
		index('aliases_deployment_idx').on(t.deploymentId)
	]
);
