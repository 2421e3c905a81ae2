import { sql } from 'drizzle-orm';
import {
	bigint,
	check,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	timestamp,
	unique,
	uuid
} from 'drizzle-orm/pg-core';
import { deployments } from './deployments.ts';
import { projects } from './projects.ts';
import { teams } from './teams.ts';
import { users } from './users.ts';

/**
 * The instance's GitHub App (one row, id = 1), made by GitHub's app-manifest flow. Secrets are
 * sealed (AES-256-GCM, see crypto/secret-box.ts) and never leave the server.
 */
export const githubApp = pgTable(
	'github_app',
	{
		id: integer().primaryKey().default(1),
		/** https://github.com, or a GitHub Enterprise Server such as https://ghe.example.com. */
		webUrl: text().notNull(),
		/** https://api.github.com, or `<webUrl>/api/v3` on GitHub Enterprise Server. */
		apiUrl: text().notNull(),
		appId: bigint({ mode: 'number' }).notNull(),
		slug: text().notNull(),
		name: text().notNull(),
		ownerLogin: text(),
		htmlUrl: text().notNull(),
		clientId: text().notNull(),
		clientSecretSealed: text().notNull(),
		privateKeySealed: text().notNull(),
		webhookSecretSealed: text().notNull(),
		createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [check('github_app_single_row', sql`${t.id} = 1`)]
);

/** A GitHub login linked to a Slipway account (sign in with GitHub). */
export const oauthAccounts = pgTable(
	'oauth_accounts',
	{
		provider: text().notNull(),
		/** GitHub's numeric user id, as text: logins can be renamed, ids cannot. */
		providerUserId: text().notNull(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		login: text(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.provider, t.providerUserId] }),
		unique('oauth_accounts_user_provider_key').on(t.userId, t.provider)
	]
);

/** An installation of the App on a GitHub user or organization, kept in sync by webhooks. */
export const githubInstallations = pgTable('github_installations', {
	/** GitHub's installation id. */
	id: bigint({ mode: 'number' }).primaryKey(),
	accountLogin: text().notNull(),
	accountType: text().notNull(),
	/** `all` or `selected`. */
	repositorySelection: text().notNull().default('selected'),
	suspendedAt: timestamp({ withTimezone: true }),
	/** Uninstalled on GitHub: the row stays so projects can say why they stopped deploying. */
	removedAt: timestamp({ withTimezone: true }),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

/**
 * Which teams may use an installation's repositories. A team gets one only through the install
 * callback, after GitHub confirmed that the signed-in user can access that installation.
 */
export const teamGithubInstallations = pgTable(
	'team_github_installations',
	{
		teamId: uuid()
			.notNull()
			.references(() => teams.id, { onDelete: 'cascade' }),
		installationId: bigint({ mode: 'number' })
			.notNull()
			.references(() => githubInstallations.id, { onDelete: 'cascade' }),
		addedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.installationId] })]
);

/** The repository a GitHub project deploys; its id survives renames and transfers. */
export const projectGithubRepos = pgTable(
	'project_github_repos',
	{
		projectId: uuid()
			.primaryKey()
			.references(() => projects.id, { onDelete: 'cascade' }),
		installationId: bigint({ mode: 'number' }).notNull(),
		repoId: bigint({ mode: 'number' }).notNull(),
		/** `owner/name` as last seen. */
		fullName: text().notNull(),
		/**
		 * Set when the repository was renamed, transferred or deleted, or the installation was
		 * removed or suspended: the project shows it and stops auto-deploying until reconnected.
		 */
		disconnectedAt: timestamp({ withTimezone: true }),
		disconnectedReason: text(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('project_github_repos_repo_idx').on(t.repoId)]
);

/** Webhook deliveries already accepted (`X-GitHub-Delivery`): a replay is answered, not redone. */
export const githubDeliveries = pgTable(
	'github_deliveries',
	{
		id: text().primaryKey(),
		event: text().notNull(),
		/**
		 * The verified body as received, kept until the worker handled it (then cleared). Text, not
		 * jsonb: jsonb refuses the `\u0000` escape, which a commit message may carry.
		 */
		payload: text(),
		processedAt: timestamp({ withTimezone: true }),
		receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('github_deliveries_received_idx').on(t.receivedAt)]
);

/**
 * A pull request from a fork waits here until a team member approves it: fork code never runs
 * unasked, and an approved fork preview runs without the project's secret variables.
 */
export const pullRequestApprovals = pgTable(
	'pull_request_approvals',
	{
		id: uuid().primaryKey().defaultRandom(),
		projectId: uuid()
			.notNull()
			.references(() => projects.id, { onDelete: 'cascade' }),
		number: integer().notNull(),
		headSha: text().notNull(),
		headRef: text().notNull(),
		/** `owner/name` of the fork. */
		headRepoFullName: text().notNull(),
		headCloneUrl: text().notNull(),
		title: text().notNull().default(''),
		authorLogin: text(),
		approvedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		approvedAt: timestamp({ withTimezone: true }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique('pull_request_approvals_project_number_key').on(t.projectId, t.number)]
);

/** What was reported to GitHub for one deployment (so later updates edit, not duplicate). */
export const githubDeploymentReports = pgTable('github_deployment_reports', {
	deploymentId: uuid()
		.primaryKey()
		.references(() => deployments.id, { onDelete: 'cascade' }),
	/** The GitHub Deployment made for it. */
	githubDeploymentId: bigint({ mode: 'number' }),
	/** Last state reported (commit status and deployment status), to skip repeats. */
	reportedState: text(),
	/** When GitHub was told this deployment no longer serves (replaced, or its preview removed). */
	inactiveReportedAt: timestamp({ withTimezone: true }),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

/** The one sticky comment per pull request, edited in place on every update. */
export const githubPrComments = pgTable(
	'github_pr_comments',
	{
		repoId: bigint({ mode: 'number' }).notNull(),
		number: integer().notNull(),
		commentId: bigint({ mode: 'number' }).notNull(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.repoId, t.number] })]
);
