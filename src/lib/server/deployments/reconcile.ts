import { and, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { deployments } from '../db/schema/index.ts';
import { LABEL } from '../docker/client.ts';
import { listManagedContainers, removeContainer, startExisting } from '../docker/containers.ts';
import { addJob } from '../jobs/enqueue.ts';
import { loadInstanceSettings } from '../projects/limits.ts';
import { logger } from '../log.ts';
import { createLogWriter } from '../logs/writer.ts';
import { failDeployment } from './pipeline/state.ts';

/** A pipeline refreshes its heartbeat every 2 s; this long without one means its worker died. */
export const STALE_AFTER_MS = 30_000;

const interrupted: Record<string, string> = {
	building:
		'The worker stopped during the build (it crashed or was restarted). Redeploy to build again.',
	starting:
		'The worker stopped while the app was starting, before its health check passed. Redeploy to start it again.'
};

/**
 * Brings the record and the engine back in line after a crash of the worker, Docker or the host:
 * orphaned pipelines end failed (with their graphile job and project queue released), queued
 * deployments whose job went missing are queued again, containers of finished deployments are
 * removed, and ready ones that stopped are started. Safe to run at any time, from any worker.
 */
export async function reconcileDeployments(args: {
	db: Db;
	onReadyContainer?: (d: { id: string; containerId: string }) => void;
}) {
	const { db } = args;
	const summary = { failed: 0, requeued: 0, removed: 0, restarted: 0 };
	const staleBefore = new Date(Date.now() - STALE_AFTER_MS);

	const orphans = await db
		.select()
		.from(deployments)
		.where(
			and(
				inArray(deployments.state, ['building', 'starting']),
				or(isNull(deployments.heartbeatAt), lt(deployments.heartbeatAt, staleBefore))
			)
		);
	for (const d of orphans) {
		if (d.jobId) await releaseJob(db, d.jobId);
		if (d.containerId) await removeContainer(d.containerId).catch(() => {});
		const stage = d.state === 'building' ? 'build' : 'start';
		const moved = await failDeployment({ db, id: d.id, stage, reason: interrupted[d.state] });
		if (moved) {
			summary.failed++;
			const log = createLogWriter({ db, deploymentId: d.id });
			log.write('platform', `Deployment failed at ${stage}: ${interrupted[d.state]}`);
			await log.close();
		}
	}

	const lost = await db.execute<{ id: string; project_id: string; branch: string }>(sql`
		select d.id, d.project_id, d.branch from deployments d
		where d.state = 'queued' and d.created_at < now() - interval '30 seconds'
		and not exists (
			-- the public jobs view has no payload column
			select 1 from graphile_worker._private_jobs j
			join graphile_worker._private_tasks t on t.id = j.task_id
			where t.identifier = 'deploy' and j.payload->>'deploymentId' = d.id::text
		)`);
	for (const d of lost) {
		await addJob(
			db,
			'deploy',
			{ deploymentId: d.id },
			{
				jobKey: `deploy:${d.project_id}:${d.branch}`,
				jobKeyMode: 'preserve_run_at',
				queueName: `project:${d.project_id}`,
				maxAttempts: 1
			}
		);
		summary.requeued++;
	}

	// Only this instance's containers: another Slipway may share the engine.
	const { instanceId } = await loadInstanceSettings(db);
	const containers = await listManagedContainers({ instance: instanceId });
	const ids = containers.map((c) => c.Labels[LABEL.deployment]).filter(Boolean);
	const rows = ids.length
		? await db
				.select({
					id: deployments.id,
					state: deployments.state,
					containerId: deployments.containerId
				})
				.from(deployments)
				.where(inArray(deployments.id, ids))
		: [];
	const byId = new Map(rows.map((r) => [r.id, r]));
	// A container a rollback is starting is recorded on its row a moment after it exists.
	const settled = Date.now() / 1000 - 60;
	for (const c of containers) {
		const d = byId.get(c.Labels[LABEL.deployment]);
		if (!d || ['failed', 'canceled', 'skipped'].includes(d.state)) {
			await removeContainer(c.Id);
			summary.removed++;
		} else if (d.state === 'ready' && d.containerId === c.Id) {
			if (c.State !== 'running') {
				await startExisting(c.Id);
				summary.restarted++;
			}
			args.onReadyContainer?.({ id: d.id, containerId: c.Id });
		} else if (d.state === 'ready' && c.Created < settled) {
			// Retired, or left behind by a rollback that died: no route points at it.
			await removeContainer(c.Id);
			summary.removed++;
		}
	}
	if (summary.failed + summary.requeued + summary.removed + summary.restarted > 0) {
		logger().info(summary, 'reconciled deployments');
	}
	return summary;
}

/** Frees the graphile job (and the project queue it holds) of a worker that died mid-task. */
async function releaseJob(db: Db, jobId: number) {
	const [job] = await db.execute<{ locked_by: string | null }>(
		sql`select locked_by from graphile_worker.jobs where id = ${jobId}`
	);
	if (job?.locked_by) {
		await db.execute(
			sql`select graphile_worker.force_unlock_workers(array[${job.locked_by}]::text[])`
		);
	}
	await db.execute(sql`select graphile_worker.complete_jobs(array[${jobId}]::bigint[])`);
}
