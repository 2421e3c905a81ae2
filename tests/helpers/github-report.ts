import { eq, sql } from 'drizzle-orm';
import { runOnce } from 'graphile-worker';
import type { Db } from '../../src/lib/server/db/client.ts';
import { deploymentLogs, projectGithubRepos } from '../../src/lib/server/db/schema/index.ts';
import { createDeployment } from '../../src/lib/server/deployments/create.ts';
import { graphileLogger } from '../../src/lib/server/jobs/graphile-logger.ts';
import { logger } from '../../src/lib/server/log.ts';
import type { ReportDeps } from '../../src/lib/server/github/report/report-deployment.ts';
import {
	githubPrCommentTask,
	githubPreviewRemovedTask,
	githubReportSweepTask,
	githubReportTask,
	githubRollbackTask
} from '../../src/worker/tasks/github-report.ts';
import { seedGithubApp } from './fake-github/seed.ts';
import { startFakeGithub, type FakeGithub } from './fake-github/server.ts';
import { createGitRepo, removeGitRepos, sampleApps } from './git-repo.ts';
import { createTestDatabase } from './db.ts';
import { waitFor } from './deploy.ts';
import { makeUser, testConfig, testKeyring } from './world.ts';

/** URLs in reports are exact: a dashboard origin and a production-style deploy domain. */
export const reportConfig = {
	...testConfig,
	ORIGIN: 'https://slipway.example.com',
	SLIPWAY_DEPLOY_DOMAIN: 'apps.example.com',
	SLIPWAY_PROXY_MODE: 'production' as const,
	SLIPWAY_PROXY_HTTPS_PORT: 443
};

export const REPO = { id: 501, fullName: 'octo/app', installationId: 77 };
export const sha = (c: string) => c.repeat(40);

/** The instance's App (as the manifest flow would store it) and an installation with octo/app. */
async function connectFakeGithub(db: Db, fake: FakeGithub) {
	fake.addInstallation({
		id: REPO.installationId,
		account: { login: 'octo', id: 9, type: 'Organization' },
		repos: [{ id: REPO.id, fullName: REPO.fullName, private: true, defaultBranch: 'main' }]
	});
	await seedGithubApp(db, fake);
}

/** A project of a fresh user; linked to octo/app unless `linked` is false. */
export async function makeProject(db: Db, name: string, linked = true) {
	const owner = await makeUser(db, `Owner ${name}`);
	const repo = await createGitRepo({ files: sampleApps.node });
	const project = await owner.caller.projects.create({
		teamSlug: owner.team.slug,
		name,
		repoUrl: repo.path
	});
	if (linked) {
		await db.insert(projectGithubRepos).values({
			projectId: project.id,
			installationId: REPO.installationId,
			repoId: REPO.id,
			fullName: REPO.fullName
		});
	}
	return { ...project, teamSlug: owner.team.slug };
}

/**
 * What the report tests run against: a fresh database, the fake GitHub connected (App and the
 * octo/app installation) and a project "Web" linked to octo/app; stop() takes it all down.
 */
export async function startReportWorld(label: string) {
	const t = await createTestDatabase(label);
	const fake = await startFakeGithub();
	await connectFakeGithub(t.db, fake);
	const web = await makeProject(t.db, 'Web');
	return {
		t,
		fake,
		web,
		async stop() {
			await fake.close();
			await removeGitRepos();
			await t.drop();
		}
	};
}

export function reportDeps(db: Db): ReportDeps {
	return { db, cfg: reportConfig, keyring: testKeyring };
}

/**
 * Runs the GitHub report jobs with graphile-worker, as the worker would, until none is due. A
 * comment job queued by a running report waits for its repository's queue, which runOnce may see
 * still locked; the real worker polls and picks it up a moment later, so this runs once more.
 */
export async function runReportJobs(url: string, deps: ReportDeps) {
	for (let round = 0; round < 5; round++) {
		await runOnce({
			connectionString: url,
			taskList: {
				github_report: githubReportTask(deps),
				github_pr_comment: githubPrCommentTask(deps),
				github_report_sweep: githubReportSweepTask(deps),
				github_preview_removed: githubPreviewRemovedTask(deps),
				github_rollback: githubRollbackTask(deps)
			},
			logger: graphileLogger(logger(), 'warning'),
			noHandleSignals: true
		});
		const [due] = await deps.db.execute<{ n: number }>(sql`
			select count(*)::int as n from graphile_worker.jobs
			where task_identifier like 'github%' and run_at <= now() and attempts < max_attempts`);
		if (due.n === 0) return;
	}
}

export type JobRow = {
	key: string;
	attempts: number;
	max_attempts: number;
	revision: number;
	last_error: string | null;
	delay: number;
};

export async function reportJobs(db: Db, id?: string): Promise<JobRow[]> {
	return db.execute<JobRow>(sql`
		select key, attempts, max_attempts, revision, last_error,
			extract(epoch from (run_at - now()))::float as delay
		from graphile_worker.jobs
		where task_identifier like 'github%'
			and (${id ?? null}::text is null or key = 'github-report:' || ${id ?? null}::text)
		order by id`);
}

/**
 * State changes queue their report just after they commit (fire and forget): wait for the job,
 * or for its `revision`-th replacement when several changes are meant to coalesce into it.
 */
export async function waitForReportJob(db: Db, deploymentId: string, revision = 0) {
	await waitFor(
		() => reportJobs(db, deploymentId),
		(rows) => rows.length > 0 && rows[0].revision >= revision,
		5000
	);
}

export async function pushDeployment(
	db: Db,
	projectId: string,
	args: { sha: string; branch?: string; pullRequest?: number }
) {
	const d = await createDeployment(
		{ db, keyring: testKeyring },
		{ projectId, branch: args.branch ?? 'main', commitSha: args.sha, trigger: 'push' }
	);
	if (args.pullRequest !== undefined) {
		// As the pull_request webhook records it (the report reads the row when it runs).
		await db.execute(
			sql`update deployments set pull_request = ${args.pullRequest} where id = ${d.id}`
		);
	}
	return d;
}

export async function platformLines(db: Db, deploymentId: string) {
	const rows = await db
		.select({ line: deploymentLogs.line, stream: deploymentLogs.stream })
		.from(deploymentLogs)
		.where(eq(deploymentLogs.deploymentId, deploymentId));
	return rows.filter((r) => r.stream === 'platform').map((r) => r.line);
}

/** What the fake received on the reporting routes, in order, as `METHOD path-after-repo`. */
export function reportCalls(fake: FakeGithub) {
	const prefix = `/api/v3/repos/${REPO.fullName}`;
	return fake.requests
		.filter((r) => r.path.startsWith(prefix))
		.map((r) => ({ call: `${r.method} ${r.path.slice(prefix.length)}`, body: r.body }));
}
