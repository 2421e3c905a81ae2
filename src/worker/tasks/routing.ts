import type { Task } from 'graphile-worker';
import { eq, sql } from 'drizzle-orm';
import { projects } from '../../lib/server/db/schema/index.ts';
import { retireDeployments } from '../../lib/server/deployments/retire.ts';
import { switchAlias } from '../../lib/server/deployments/rollback.ts';
import type { PipelineDeps } from '../../lib/server/deployments/pipeline/run.ts';
import { jobPayloads } from '../../lib/server/jobs/registry.ts';

export function retireDeploymentsTask(deps: PipelineDeps): Task {
	return async (payload, helpers) => {
		const { projectId } = jobPayloads.retire_deployments.parse(payload);
		const [project] = await deps.db
			.select({ id: projects.id })
			.from(projects)
			.where(eq(projects.id, projectId));
		if (!project) return;
		const summary = await retireDeployments({ db: deps.db, cfg: deps.cfg, projectId });
		if (summary.stopped + summary.imagesRemoved > 0) {
			helpers.logger.info(
				`project ${projectId}: stopped ${summary.stopped} containers, removed ${summary.imagesRemoved} images`
			);
		}
	};
}

/** Hourly: retention for every project that has deployments. */
export function sweepDeploymentsTask(deps: PipelineDeps): Task {
	return async () => {
		const rows = await deps.db.execute<{ id: string }>(
			sql`select distinct project_id as id from deployments where state = 'ready'`
		);
		for (const row of rows)
			await retireDeployments({ db: deps.db, cfg: deps.cfg, projectId: row.id });
	};
}

export function switchAliasTask(deps: PipelineDeps): Task {
	return async (payload) => {
		const args = jobPayloads.switch_alias.parse(payload);
		await switchAlias(deps, { ...args, signal: deps.shutdown });
	};
}
