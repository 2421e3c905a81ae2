import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { aliases, deployments } from '../db/schema/index.ts';
import { publishDeploymentEvent } from '../events/bus.ts';
import { aliasKey } from '../proxy/hostnames.ts';
import { lockRoutes, pushRoutes, type ProxyConfig } from '../proxy/sync.ts';
import { retireDeployments } from './retire.ts';
import { moveDeployment } from './pipeline/state.ts';

/** A preview that goes away with its branch or pull request; production and environments never do. */
export type PreviewTarget =
	{ kind: 'branch'; branch: string } | { kind: 'pull_request'; number: number };

/**
 * Takes a preview down: deployments of it still on their way are stopped (so none can bring the
 * alias back), the alias row goes and the route table is pushed without it in the same
 * transaction, then retention stops the containers nothing points at any more. Running it twice
 * finds nothing left to do.
 */
export async function removePreview(args: {
	db: Db;
	cfg: ProxyConfig;
	projectId: string;
	target: PreviewTarget;
	reason: string;
}) {
	const { db, projectId, target } = args;
	const ofPreview =
		target.kind === 'pull_request'
			? eq(deployments.pullRequest, target.number)
			: and(
					eq(deployments.branch, target.branch),
					isNull(deployments.pullRequest),
					isNull(deployments.environmentId)
				);
	const pending = await db
		.select({ id: deployments.id, state: deployments.state })
		.from(deployments)
		.where(
			and(
				eq(deployments.projectId, projectId),
				ofPreview,
				inArray(deployments.state, ['queued', 'building', 'starting'])
			)
		);
	for (const d of pending) {
		const moved = await moveDeployment({
			db,
			id: d.id,
			to: d.state === 'queued' ? 'skipped' : 'canceled',
			set: { failureReason: args.reason }
		});
		if (moved && d.state === 'queued') void publishDeploymentEvent(d.id, { type: 'end' });
	}

	const { kind, key } = aliasKey(target);
	const removed = await db.transaction(async (tx) => {
		await lockRoutes(tx);
		const gone = await tx
			.delete(aliases)
			.where(and(eq(aliases.projectId, projectId), eq(aliases.kind, kind), eq(aliases.key, key)))
			.returning({ id: aliases.id });
		if (gone.length > 0) await pushRoutes(tx, args.cfg);
		return gone.length;
	});
	const { stopped } = await retireDeployments({ db, cfg: args.cfg, projectId });
	return { canceled: pending.length, aliasRemoved: removed > 0, stopped };
}
