import { and, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { deployments } from '../db/schema/index.ts';
import { removeImage } from '../docker/build.ts';
import { removeContainer } from '../docker/containers.ts';
import { publishDeploymentEvent } from '../events/bus.ts';
import { loadInstanceSettings } from '../projects/limits.ts';
import { referencedDeploymentIds } from '../proxy/aliases.ts';
import { lockRoutes, pushRoutes, type ProxyConfig } from '../proxy/sync.ts';
import { isTerminal, type DeploymentState } from './state-machine.ts';

/**
 * Retention for one project (product.md §4), run after the drain period of every switch and
 * hourly: containers of ready deployments no alias points at (now or just before) are stopped;
 * of the images, the newest N are kept, plus every image an alias or a running pipeline needs.
 * Routes are taken away before a container goes, so no request meets a stopped upstream.
 */
export async function retireDeployments(args: { db: Db; cfg: ProxyConfig; projectId: string }) {
	const { db, projectId } = args;
	const settings = await loadInstanceSettings(db);
	const summary = { stopped: 0, imagesRemoved: 0 };

	const toStop = await db.transaction(async (tx) => {
		await lockRoutes(tx);
		const keep = await referencedDeploymentIds(tx, projectId);
		const running = await tx
			.select({ id: deployments.id, containerId: deployments.containerId })
			.from(deployments)
			.where(
				and(
					eq(deployments.projectId, projectId),
					eq(deployments.state, 'ready'),
					isNotNull(deployments.containerId)
				)
			);
		const retired = running.filter((d) => !keep.has(d.id));
		if (retired.length === 0) return [];
		await tx
			.update(deployments)
			.set({ containerId: null, hostPort: null, stoppedAt: new Date(), updatedAt: new Date() })
			.where(
				inArray(
					deployments.id,
					retired.map((d) => d.id)
				)
			);
		await pushRoutes(tx, args.cfg);
		return retired;
	});
	for (const d of toStop) {
		await removeContainer(d.containerId!);
		void publishDeploymentEvent(d.id, { type: 'end' });
		summary.stopped++;
	}

	const keep = await referencedDeploymentIds(db, projectId);
	const withImages = await db
		.select({ id: deployments.id, image: deployments.image, state: deployments.state })
		.from(deployments)
		.where(
			and(
				eq(deployments.projectId, projectId),
				isNotNull(deployments.image),
				isNull(deployments.imageRemovedAt)
			)
		)
		.orderBy(desc(deployments.createdAt));
	const { kept, removable } = planImageRetention(withImages, keep, settings.imageRetention);
	const keptImages = new Set(kept.map((d) => d.image));
	for (const d of removable) {
		// A promote runs the image of another deployment: only remove an image nobody keeps.
		if (!keptImages.has(d.image)) await removeImage(d.image!);
		await db
			.update(deployments)
			.set({ imageRemovedAt: new Date(), updatedAt: new Date() })
			.where(eq(deployments.id, d.id));
		summary.imagesRemoved++;
	}
	return summary;
}

/**
 * Which images stay: the newest `retain` ones, and any an alias points at or a pipeline in
 * progress uses. `rows` are newest first. Pure, so it is unit-tested on its own.
 */
export function planImageRetention<
	T extends { id: string; image: string | null; state: DeploymentState }
>(rows: T[], referenced: Set<string>, retain: number) {
	const kept: T[] = [];
	const removable: T[] = [];
	rows.forEach((d, index) => {
		if (index < retain || referenced.has(d.id) || !isTerminal(d.state)) kept.push(d);
		else removable.push(d);
	});
	return { kept, removable };
}
