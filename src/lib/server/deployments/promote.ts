import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { deployments, projects } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { listAliases } from '../proxy/aliases.ts';
import { createDeployment, type DeployContext } from './create.ts';
import { labelUrl, type UrlConfig } from './urls.ts';

/**
 * Promote: production runs the image a preview (or an earlier deployment) was built into, with
 * production's variables, in a new container that must pass its health check before the switch.
 * Nothing is rebuilt, so build-time variables are the ones the image was built with.
 */
export async function promoteDeployment(
	ctx: DeployContext,
	args: { deploymentId: string; actorId: string }
) {
	const [source] = await ctx.db
		.select()
		.from(deployments)
		.where(eq(deployments.id, args.deploymentId));
	if (!source) throw new AppError('NOT_FOUND', 'Deployment not found.');
	if (source.state !== 'ready') {
		throw new AppError(
			'CONFLICT',
			`Only a deployment that was ready can be promoted; this one is ${source.state}.`
		);
	}
	if (!source.image || source.imageRemovedAt) {
		throw new AppError(
			'CONFLICT',
			'The image of this deployment was removed by image retention, so it cannot be promoted. Redeploy its commit instead.'
		);
	}
	return createDeployment(ctx, {
		projectId: source.projectId,
		trigger: 'promote',
		actorId: args.actorId,
		promoteFrom: source
	});
}

/** Lets pushes go live on production again after a rollback paused it. */
export async function resumeProductionAutoDeploy(db: Db, projectId: string) {
	await db
		.update(projects)
		.set({ productionAutoDeployPausedAt: null, productionAutoDeployPausedReason: null })
		.where(eq(projects.id, projectId));
}

/** The project's aliases with their public URLs, for the API and the UI. */
export async function listProjectAliases(db: Db, cfg: UrlConfig, projectId: string) {
	const rows = await listAliases(db, projectId);
	return rows.map((a) => ({
		id: a.id,
		kind: a.kind,
		key: a.key,
		label: a.label,
		url: labelUrl(cfg, a.label),
		deploymentId: a.deploymentId,
		previousDeploymentId: a.previousDeploymentId,
		updatedAt: a.updatedAt
	}));
}
