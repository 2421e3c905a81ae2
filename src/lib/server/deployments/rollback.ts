import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { aliases, deployments, projects } from '../db/schema/index.ts';
import { imageExists } from '../docker/build.ts';
import {
	inspectContainer,
	keepRunning,
	removeContainer,
	startExisting
} from '../docker/containers.ts';
import { AppError } from '../errors.ts';
import { addJob } from '../jobs/enqueue.ts';
import { createLogWriter } from '../logs/writer.ts';
import { aliasKey } from '../proxy/hostnames.ts';
import { CaddyUnavailable } from '../proxy/caddy-admin.ts';
import { queueRollbackReport } from '../github/report/enqueue.ts';
import { pointAliases } from '../proxy/aliases.ts';
import { lockRoutes, pushRoutes } from '../proxy/sync.ts';
import { scheduleRetire } from './finalize.ts';
import type { PipelineDeps } from './pipeline/run.ts';
import { probeStep, startDeploymentContainer } from './pipeline/start-step.ts';
import { StepFailure } from './pipeline/step-failure.ts';
import type { ConfigSnapshot } from './snapshot.ts';

/** Alias changes and retention of one project run one at a time, in this queue. */
export const aliasQueue = (projectId: string) => `aliases:${projectId}`;

/**
 * A team member asks to roll an environment back to one of its earlier ready deployments. The
 * worker does the switch (it alone talks to Docker and Caddy); rolling back production pauses
 * its auto-deploy so the next push does not undo the rollback.
 */
export async function requestRollback(
	db: Db,
	args: {
		deployment:
			typeof deployments.$inferSelect | Omit<typeof deployments.$inferSelect, 'envSnapshotSealed'>;
		actor: { id: string; name: string };
	}
) {
	const d = args.deployment;
	if (d.state !== 'ready') {
		throw new AppError(
			'CONFLICT',
			`Only a deployment that was ready can be rolled back to; this one is ${d.state}.`
		);
	}
	if (!d.image || d.imageRemovedAt) {
		throw new AppError(
			'CONFLICT',
			'The image of this deployment was removed by image retention, so it cannot be rolled back to. Redeploy its commit instead.'
		);
	}
	const snapshot = d.configSnapshot as ConfigSnapshot;
	const { kind, key } = aliasKey(snapshot.alias);
	return db.transaction(async (tx) => {
		const [alias] = await tx
			.select()
			.from(aliases)
			.where(and(eq(aliases.projectId, d.projectId), eq(aliases.kind, kind), eq(aliases.key, key)))
			.for('update');
		if (!alias)
			throw new AppError(
				'CONFLICT',
				'This deployment never went live, so there is nothing to roll back.'
			);
		if (alias.deploymentId === d.id) {
			throw new AppError('CONFLICT', 'This deployment is already the one serving its environment.');
		}
		const pauses = kind === 'production';
		if (pauses) {
			await tx
				.update(projects)
				.set({
					productionAutoDeployPausedAt: new Date(),
					productionAutoDeployPausedReason: `rolled back to ${d.id.slice(0, 8)} by ${args.actor.name}`
				})
				.where(eq(projects.id, d.projectId));
		}
		await addJob(
			tx,
			'switch_alias',
			{ aliasId: alias.id, deploymentId: d.id },
			{ jobKey: `alias:${alias.id}`, queueName: aliasQueue(d.projectId), maxAttempts: 1 }
		);
		return {
			aliasId: alias.id,
			label: alias.label,
			productionAutoDeployPaused: pauses,
			message: pauses
				? 'Rolling back production. Auto-deploy of production is paused so the next push does not undo this; resume it in the project settings or by promoting a deployment.'
				: 'Rolling back.'
		};
	});
}

const SWITCH_RETRY_MS = 30_000;

/**
 * The worker side of a rollback: make sure the deployment's container runs (start it again from
 * its image when it was retired, and health-check it), then point the alias at it and push the
 * routes. Any failure leaves the alias where it was and says why in the deployment's log.
 */
export async function switchAlias(
	deps: Pick<PipelineDeps, 'db' | 'keyring' | 'cfg' | 'collectLogs'>,
	args: { aliasId: string; deploymentId: string; signal?: AbortSignal }
) {
	const { db } = deps;
	const log = createLogWriter({ db, deploymentId: args.deploymentId });
	const signal = args.signal ?? new AbortController().signal;
	let started: string | null = null;
	try {
		const [d] = await db.select().from(deployments).where(eq(deployments.id, args.deploymentId));
		const [alias] = await db.select().from(aliases).where(eq(aliases.id, args.aliasId));
		if (!d || !alias || d.state !== 'ready') return { ok: false as const };
		log.write('platform', `Rollback: making this deployment serve ${alias.label} again.`);
		const snapshot = d.configSnapshot as ConfigSnapshot;
		const status = d.containerId ? await inspectContainer(d.containerId) : null;
		if (d.containerId && status?.exists && !status.running) await startExisting(d.containerId);
		if (!status?.exists) {
			if (!d.image || d.imageRemovedAt || !(await imageExists(d.image))) {
				throw new StepFailure(
					'start',
					'its image was removed by image retention. Redeploy its commit instead.'
				);
			}
			log.write('platform', `Its container was stopped; starting a new one from ${d.image}.`);
			started = await startDeploymentContainer(deps, {
				deployment: d,
				snapshot,
				image: d.image,
				commit: { sha: d.commitSha ?? '', message: d.commitMessage ?? '' },
				log
			});
			await probeStep(deps, { containerId: started, snapshot, log, signal });
			await keepRunning(started);
		}
		const t0 = Date.now();
		for (let attempt = 1; ; attempt++) {
			try {
				await db.transaction(async (tx) => {
					await lockRoutes(tx);
					await pointAliases(tx, { aliasIds: [alias.id], deploymentId: d.id });
					await pushRoutes(tx, deps.cfg);
				});
				break;
			} catch (error) {
				if (!(error instanceof CaddyUnavailable) || Date.now() - t0 > SWITCH_RETRY_MS) throw error;
				log.write('platform', `Not switched yet: ${error.message} Retrying (attempt ${attempt}).`);
				await sleep(Math.min(1000 * attempt, 5000));
			}
		}
		log.write('platform', `Rolled back: ${alias.label} serves this deployment now.`);
		// GitHub's Deployments follow (a GitHub project only; never fails the rollback).
		await queueRollbackReport(db, d).catch(() => {});
		await scheduleRetire(db, d.projectId);
		return { ok: true as const };
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		if (started) {
			await removeContainer(started).catch(() => {});
			await db
				.update(deployments)
				.set({ containerId: null, hostPort: null })
				.where(eq(deployments.id, args.deploymentId));
		}
		log.write('platform', `Rollback failed: ${reason} The alias still points where it did.`);
		return { ok: false as const, reason };
	} finally {
		await log.close();
	}
}
