import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { deployments, projects } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import { publishDeploymentEvent } from '../events/bus.ts';
import { createLogWriter } from '../logs/writer.ts';
import { createDeployment, type DeployContext } from './create.ts';
import { moveDeployment } from './pipeline/state.ts';
import { assertTransition, type DeploymentState } from './state-machine.ts';

/** A deployment of one of this team's projects, or NOT_FOUND. */
export async function getTeamDeployment(db: Db, teamId: string, deploymentId: string) {
	const [row] = await db
		.select({
			deployment: deployments,
			project: { id: projects.id, slug: projects.slug, name: projects.name }
		})
		.from(deployments)
		.innerJoin(projects, eq(projects.id, deployments.projectId))
		.where(and(eq(deployments.id, deploymentId), eq(projects.teamId, teamId)));
	if (!row) throw notFound('Deployment');
	const { envSnapshotSealed: _env, ...deployment } = row.deployment;
	return { ...deployment, project: row.project };
}

export async function listDeployments(args: {
	db: Db;
	projectId: string;
	states?: DeploymentState[];
	branch?: string;
	before?: Date;
	limit?: number;
}) {
	const filters: (SQL | undefined)[] = [
		eq(deployments.projectId, args.projectId),
		args.states?.length ? inArray(deployments.state, args.states) : undefined,
		args.branch ? eq(deployments.branch, args.branch) : undefined,
		args.before ? lt(deployments.createdAt, args.before) : undefined
	];
	const rows = await args.db
		.select()
		.from(deployments)
		.where(and(...filters))
		.orderBy(desc(deployments.createdAt))
		.limit(Math.min(args.limit ?? 50, 200));
	return rows.map(({ envSnapshotSealed: _env, ...d }) => d);
}

/**
 * Cancels a deployment in any non-terminal state. The worker running it sees the change within
 * its heartbeat and stops the build or removes the container; a queued one never starts.
 */
export async function cancelDeployment(args: {
	db: Db;
	deployment: { id: string; state: DeploymentState };
}) {
	assertTransition({ from: args.deployment.state, to: 'canceled' });
	const moved = await moveDeployment({
		db: args.db,
		id: args.deployment.id,
		to: 'canceled',
		set: { failureReason: 'Canceled by a team member.' }
	});
	if (!moved) {
		const [now] = await args.db
			.select({ state: deployments.state })
			.from(deployments)
			.where(eq(deployments.id, args.deployment.id));
		assertTransition({ from: now?.state ?? 'failed', to: 'canceled' });
	}
	const log = createLogWriter({ db: args.db, deploymentId: args.deployment.id });
	log.write('platform', 'Cancel requested.');
	await log.close();
	// A queued one never runs: nothing else will write to its log.
	if (args.deployment.state === 'queued') {
		void publishDeploymentEvent(args.deployment.id, { type: 'end' });
	}
	return moved;
}

/** Same branch and commit, built again with the project's current settings and variables. */
export function redeploy(
	ctx: DeployContext,
	args: {
		deployment: { projectId: string; branch: string; commitSha: string | null };
		actorId: string;
	}
) {
	return createDeployment(ctx, {
		projectId: args.deployment.projectId,
		branch: args.deployment.branch,
		commitSha: args.deployment.commitSha,
		trigger: 'redeploy',
		actorId: args.actorId
	});
}
