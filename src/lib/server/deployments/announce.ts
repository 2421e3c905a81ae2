import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { projects } from '../db/schema/index.ts';
import type { deployments } from '../db/schema/index.ts';
import { publishDeploymentChange, type DeploymentSummary } from '../events/bus.ts';
import { queueGithubReport } from '../github/report/enqueue.ts';
import { logger } from '../log.ts';

type Row = typeof deployments.$inferSelect;

export function toSummary(d: Row): DeploymentSummary {
	return {
		id: d.id,
		projectId: d.projectId,
		environmentId: d.environmentId,
		branch: d.branch,
		commitSha: d.commitSha,
		commitMessage: d.commitMessage,
		trigger: d.trigger,
		state: d.state,
		failureStage: d.failureStage,
		failureReason: d.failureReason,
		createdAt: d.createdAt.toISOString(),
		readyAt: d.readyAt?.toISOString() ?? null,
		finishedAt: d.finishedAt?.toISOString() ?? null
	};
}

// A project never changes team: one lookup per project and process.
const teamOfProject = new Map<string, string>();
let chain: Promise<unknown> = Promise.resolve();

/**
 * Tells live views that a deployment was created or changed state. Fire and forget, in order:
 * it never delays the pipeline, and a missing Redis only costs liveness. A deployment of a
 * GitHub repository is also reported there (a job lost to a crash here is re-queued by the
 * github_report_sweep cron).
 */
export function announceDeployment(db: Db, row: Row): Promise<unknown> {
	void queueGithubReport(db, row).catch((error) =>
		logger().warn({ err: error, deploymentId: row.id }, 'could not queue the GitHub report')
	);
	chain = chain
		.then(async () => {
			let teamId = teamOfProject.get(row.projectId) ?? null;
			if (!teamId) {
				const [p] = await db
					.select({ teamId: projects.teamId })
					.from(projects)
					.where(eq(projects.id, row.projectId));
				teamId = p?.teamId ?? null;
				if (teamId) teamOfProject.set(row.projectId, teamId);
			}
			await publishDeploymentChange(toSummary(row), teamId);
		})
		.catch(() => {});
	return chain;
}
