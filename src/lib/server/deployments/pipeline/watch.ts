import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { deployments } from '../../db/schema/index.ts';
import { logger } from '../../log.ts';

export const HEARTBEAT_MS = 2000;

/**
 * While a pipeline runs: refresh the deployment's heartbeat (the reconciler treats a stale one
 * as a dead worker) and abort the pipeline as soon as the deployment is canceled.
 */
export function watchDeployment(args: { db: Db; id: string; controller: AbortController }) {
	const tick = async () => {
		try {
			const [row] = await args.db
				.update(deployments)
				.set({ heartbeatAt: new Date() })
				.where(eq(deployments.id, args.id))
				.returning({ state: deployments.state });
			if (!row || row.state === 'canceled' || row.state === 'skipped' || row.state === 'failed') {
				args.controller.abort();
			}
		} catch (error) {
			logger().warn({ err: error, deploymentId: args.id }, 'heartbeat failed');
		}
	};
	const timer = setInterval(() => void tick(), HEARTBEAT_MS);
	return { stop: () => clearInterval(timer) };
}
