import type { TaskList } from 'graphile-worker';
import type { PipelineDeps } from '../../lib/server/deployments/pipeline/run.ts';
import type { JobName } from '../../lib/server/jobs/registry.ts';
import { cleanupSessionsTask } from './cleanup-sessions.ts';
import { deployTask } from './deploy.ts';
import {
	githubPrCommentTask,
	githubPreviewRemovedTask,
	githubReportSweepTask,
	githubReportTask,
	githubRollbackTask
} from './github-report.ts';
import { githubEventTask, pruneGithubDeliveriesTask } from './github-events.ts';
import { logRetentionTask } from './log-retention.ts';
import { removeProjectResourcesTask } from './remove-project-resources.ts';
import { retireDeploymentsTask, sweepDeploymentsTask, switchAliasTask } from './routing.ts';

/** One task per job name; the type makes a job without a task a compile error. */
export function createTaskList(deps: PipelineDeps): Record<JobName, TaskList[string]> {
	return {
		cleanup_sessions: cleanupSessionsTask(deps.db),
		deploy: deployTask(deps),
		retire_deployments: retireDeploymentsTask(deps),
		sweep_deployments: sweepDeploymentsTask(deps),
		switch_alias: switchAliasTask(deps),
		log_retention: logRetentionTask(deps.db),
		github_event: githubEventTask(deps),
		prune_github_deliveries: pruneGithubDeliveriesTask(deps),
		remove_project_resources: removeProjectResourcesTask(deps),
		github_report: githubReportTask(deps),
		github_pr_comment: githubPrCommentTask(deps),
		github_report_sweep: githubReportSweepTask(deps),
		github_preview_removed: githubPreviewRemovedTask(deps),
		github_rollback: githubRollbackTask(deps)
	};
}
