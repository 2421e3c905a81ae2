import type { Task } from 'graphile-worker';
import { removeProjectResources } from '../../lib/server/deployments/cleanup.ts';
import type { PipelineDeps } from '../../lib/server/deployments/pipeline/run.ts';
import { syncRoutes } from '../../lib/server/proxy/sync.ts';
import { jobPayloads } from '../../lib/server/jobs/registry.ts';

/** After a project is deleted: its containers, images and network go too. Idempotent. */
export function removeProjectResourcesTask(deps: Pick<PipelineDeps, 'db' | 'cfg'>): Task {
	return async (payload, helpers) => {
		const { projectId, projectSlug } = jobPayloads.remove_project_resources.parse(payload);
		// Its rows are gone: take its hostnames out of Caddy before the containers go.
		await syncRoutes(deps.db, deps.cfg, { force: true });
		const removed = await removeProjectResources({ projectId, projectSlug });
		helpers.logger.info(
			`removed ${removed.containers} containers and ${removed.images} images of project ${projectId}`
		);
	};
}
