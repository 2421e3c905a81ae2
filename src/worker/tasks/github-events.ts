import type { Task } from 'graphile-worker';
import type { PipelineDeps } from '../../lib/server/deployments/pipeline/run.ts';
import {
	processGithubDelivery,
	pruneGithubDeliveries
} from '../../lib/server/github/webhooks/process.ts';
import { jobPayloads } from '../../lib/server/jobs/registry.ts';

/** One verified webhook delivery; safe to re-run (a processed delivery is skipped). */
export function githubEventTask(deps: PipelineDeps): Task {
	return async (payload) => {
		const { deliveryId } = jobPayloads.github_event.parse(payload);
		await processGithubDelivery(deps, deliveryId);
	};
}

export function pruneGithubDeliveriesTask(deps: PipelineDeps): Task {
	return async (_payload, helpers) => {
		const removed = await pruneGithubDeliveries(deps.db);
		if (removed > 0) helpers.logger.info(`forgot ${removed} GitHub webhook deliveries`);
	};
}
