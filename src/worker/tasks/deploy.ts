import type { Task } from 'graphile-worker';
import { runDeployment, type PipelineDeps } from '../../lib/server/deployments/pipeline/run.ts';
import { jobPayloads } from '../../lib/server/jobs/registry.ts';

/** Thin: check the payload, run the pipeline (which re-reads the row and is safe to re-run). */
export function deployTask(deps: PipelineDeps): Task {
	return async (payload, helpers) => {
		const { deploymentId } = jobPayloads.deploy.parse(payload);
		await runDeployment(deps, { deploymentId, jobId: Number(helpers.job.id) });
	};
}
