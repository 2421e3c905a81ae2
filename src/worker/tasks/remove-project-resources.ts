import type { Task } from 'graphile-worker';
import { removeProjectResources } from '../../lib/server/deployments/cleanup.ts';
import { jobPayloads } from '../../lib/server/jobs/registry.ts';

/** After a project is deleted: its containers, images and network go too. Idempotent. */
export function removeProjectResourcesTask(): Task {
	return async (payload, helpers) => {
		const { projectId, projectSlug } = jobPayloads.remove_project_resources.parse(payload);
		const removed = await removeProjectResources({ projectId, projectSlug });
		helpers.logger.info(
			`removed ${removed.containers} containers and ${removed.images} images of project ${projectId}`
		);
	};
}
