import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { projectGithubRepos } from '../../db/schema/index.ts';
import { addJob } from '../../jobs/enqueue.ts';

/**
 * GitHub outages rarely outlast graphile's backoff over 10 attempts (e^1 … e^9 s, ~3.5 h in all);
 * a later change of the deployment, or the sweep for lost jobs, reports again after that.
 */
export const REPORT_MAX_ATTEMPTS = 10;

/**
 * One queue per repository: its reports run one at a time (GitHub asks integrations to send one
 * repository's requests serially), and two runs for one deployment or pull request never race
 * to create a second GitHub Deployment or comment.
 */
const queueOf = (repoId: number) => `github:${repoId}`;

/** The GitHub repository a project deploys, unless it was disconnected (then nothing is reported). */
async function connectedRepo(db: Db | Tx, projectId: string) {
	const [link] = await db
		.select({ repoId: projectGithubRepos.repoId })
		.from(projectGithubRepos)
		.where(
			and(eq(projectGithubRepos.projectId, projectId), isNull(projectGithubRepos.disconnectedAt))
		);
	return link ?? null;
}

/**
 * Queues the report of a deployment's current state, if its project deploys a connected GitHub
 * repository and the commit is known. The job key coalesces a burst of changes into one run,
 * which reads the state when it runs; a change during a run queues one more.
 */
export async function queueGithubReport(
	db: Db | Tx,
	d: { id: string; projectId: string; commitSha: string | null }
): Promise<boolean> {
	if (!d.commitSha) return false;
	const link = await connectedRepo(db, d.projectId);
	if (!link) return false;
	await addJob(
		db,
		'github_report',
		{ deploymentId: d.id },
		{
			jobKey: `github-report:${d.id}`,
			jobKeyMode: 'replace',
			queueName: queueOf(link.repoId),
			maxAttempts: REPORT_MAX_ATTEMPTS
		}
	);
	return true;
}

/** Marks a removed preview's GitHub Deployments inactive (its branch was deleted or PR closed). */
export async function queuePreviewRemoved(
	db: Db | Tx,
	args: {
		projectId: string;
		target: { kind: 'branch'; branch: string } | { kind: 'pull_request'; number: number };
	}
) {
	const link = await connectedRepo(db, args.projectId);
	if (!link) return;
	await addJob(db, 'github_preview_removed', args, {
		queueName: queueOf(link.repoId),
		maxAttempts: REPORT_MAX_ATTEMPTS
	});
	// The pull request's comment says its preview is gone instead of linking to nothing.
	if (args.target.kind === 'pull_request') {
		await queuePrComment(db, { repoId: link.repoId, number: args.target.number });
	}
}

/** A rollback made an earlier deployment serve again: GitHub's Deployments follow (inactive.ts). */
export async function queueRollbackReport(db: Db | Tx, d: { id: string; projectId: string }) {
	const link = await connectedRepo(db, d.projectId);
	if (!link) return;
	await addJob(
		db,
		'github_rollback',
		{ deploymentId: d.id },
		{ queueName: queueOf(link.repoId), maxAttempts: REPORT_MAX_ATTEMPTS }
	);
}

/** Queues an update of a pull request's sticky comment (coalesced per repository and number). */
export async function queuePrComment(db: Db | Tx, pr: { repoId: number; number: number }) {
	await addJob(db, 'github_pr_comment', pr, {
		jobKey: `github-pr-comment:${pr.repoId}:${pr.number}`,
		jobKeyMode: 'replace',
		queueName: queueOf(pr.repoId),
		maxAttempts: REPORT_MAX_ATTEMPTS
	});
}

/**
 * Safety net for a report whose job was lost (a process died between a state change and its
 * enqueue): recent deployments whose reported state differs from their state and that have no
 * job. A job that used up its attempts keeps its row, so it is not retried here endlessly.
 */
export async function sweepGithubReports(db: Db): Promise<number> {
	const rows = await db.execute<{ id: string; project_id: string; commit_sha: string }>(sql`
		select d.id, d.project_id, d.commit_sha
		from deployments d
		join project_github_repos r on r.project_id = d.project_id and r.disconnected_at is null
		left join github_deployment_reports g on g.deployment_id = d.id
		where d.commit_sha is not null
			and d.updated_at > now() - interval '24 hours'
			and g.reported_state is distinct from d.state::text
			and not exists (
				select 1 from graphile_worker.jobs j where j.key = 'github-report:' || d.id::text
			)
		order by d.updated_at
		limit 500`);
	let queued = 0;
	for (const row of rows) {
		const ok = await queueGithubReport(db, {
			id: row.id,
			projectId: row.project_id,
			commitSha: row.commit_sha
		});
		if (ok) queued++;
	}
	return queued;
}
