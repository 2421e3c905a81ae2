import { desc, eq } from 'drizzle-orm';
import type { Db } from '../lib/server/db/client.ts';
import { deploymentLogs } from '../lib/server/db/schema/index.ts';
import { followContainerLogs } from '../lib/server/docker/logs.ts';
import { logger } from '../lib/server/log.ts';
import { createLogWriter } from '../lib/server/logs/writer.ts';

/**
 * Follows the stdout/stderr of app containers into the log store, one follower per container.
 * After a worker restart it re-attaches from the last stored line, so nothing is lost or doubled
 * beyond the second the timestamps resolve to.
 */
export class LogCollector {
	#db: Db;
	#followers = new Map<string, () => void>();

	constructor(db: Db) {
		this.#db = db;
	}

	attach(deployment: { id: string; containerId: string }, resume = false): void {
		if (this.#followers.has(deployment.containerId)) return;
		this.#followers.set(deployment.containerId, () => {});
		void this.#follow(deployment, resume).catch((error) => {
			this.#followers.delete(deployment.containerId);
			logger().warn({ err: error, deploymentId: deployment.id }, 'could not follow container logs');
		});
	}

	async #follow(deployment: { id: string; containerId: string }, resume: boolean) {
		let since: Date | undefined;
		if (resume) {
			const [last] = await this.#db
				.select({ at: deploymentLogs.at })
				.from(deploymentLogs)
				.where(eq(deploymentLogs.deploymentId, deployment.id))
				.orderBy(desc(deploymentLogs.id))
				.limit(1);
			since = last ? new Date(last.at.getTime() + 1000) : undefined;
		}
		const writer = createLogWriter({ db: this.#db, deploymentId: deployment.id });
		const follower = await followContainerLogs({
			containerId: deployment.containerId,
			since,
			onLine: (l) => writer.write(l.stream, l.line, l.at)
		});
		this.#followers.set(deployment.containerId, follower.stop);
		await follower.done;
		await writer.close();
		this.#followers.delete(deployment.containerId);
	}

	stopAll(): void {
		for (const stop of this.#followers.values()) stop();
		this.#followers.clear();
	}
}
