import type { Task } from 'graphile-worker';
import { sweepGithubReports } from '../../lib/server/github/report/enqueue.ts';
import {
	deactivateGithubDeployments,
	reportRollback
} from '../../lib/server/github/report/inactive.ts';
import { updatePrComment } from '../../lib/server/github/report/pr-comment.ts';
import {
	logReportGaveUp,
	reportDeployment,
	type ReportDeps
} from '../../lib/server/github/report/report-deployment.ts';
import { jobPayloads } from '../../lib/server/jobs/registry.ts';

/**
 * Reporting to GitHub never touches the deployment itself. A transient failure (5xx, network,
 * rate limit) throws, so graphile-worker retries with its exponential backoff; a refusal for
 * good is written to the deployment's log by the report and ends the job.
 */
export function githubReportTask(deps: ReportDeps): Task {
	return async (payload, helpers) => {
		const { deploymentId } = jobPayloads.github_report.parse(payload);
		try {
			const outcome = await reportDeployment(deps, { deploymentId });
			if (outcome === 'refused')
				helpers.logger.warn(`deployment ${deploymentId}: GitHub refused the report`);
		} catch (error) {
			if (helpers.job.attempts >= helpers.job.max_attempts) {
				await logReportGaveUp(deps.db, deploymentId, error).catch(() => {});
			}
			throw error;
		}
	};
}

export function githubPrCommentTask(deps: ReportDeps): Task {
	return async (payload) => {
		const pr = jobPayloads.github_pr_comment.parse(payload);
		await updatePrComment(deps, pr);
	};
}

/** Re-queues reports whose job was lost (see sweepGithubReports). */
export function githubReportSweepTask(deps: ReportDeps): Task {
	return async (_payload, helpers) => {
		const queued = await sweepGithubReports(deps.db);
		if (queued > 0) helpers.logger.info(`queued ${queued} GitHub reports that had no job`);
	};
}

/** Marks the GitHub Deployments of a removed preview inactive. */
export function githubPreviewRemovedTask(deps: ReportDeps): Task {
	return async (payload) => {
		const { projectId, target } = jobPayloads.github_preview_removed.parse(payload);
		await deactivateGithubDeployments(deps, {
			projectId,
			target,
			description:
				target.kind === 'pull_request'
					? `Preview removed: pull request #${target.number} was closed`
					: `Preview removed: branch ${target.branch} was deleted`
		});
	};
}

/** Tells GitHub which deployment serves after a rollback. */
export function githubRollbackTask(deps: ReportDeps): Task {
	return async (payload) => {
		const { deploymentId } = jobPayloads.github_rollback.parse(payload);
		await reportRollback(deps, { deploymentId });
	};
}
