import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { addJob } from '../jobs/enqueue.ts';
import type { LogWriter } from '../logs/writer.ts';
import { loadInstanceSettings } from '../projects/limits.ts';
import { aliasTargetsOf, ensureAlias, pointAliases } from '../proxy/aliases.ts';
import { CaddyUnavailable } from '../proxy/caddy-admin.ts';
import { lockRoutes, pushRoutes } from '../proxy/sync.ts';
import { announceDeployment } from './announce.ts';
import type { ConfigSnapshot } from './snapshot.ts';
import { moveDeployment, type Deployment } from './pipeline/state.ts';
import { StepCanceled, StepFailure } from './pipeline/step-failure.ts';

/** How long finalize keeps retrying a Caddy that does not take the routes before it gives up. */
export const FINALIZE_RETRY_MS = 60_000;

export type FinalizeDeps = { db: Db; cfg: Config; retryForMs?: number };

/**
 * Switches a healthy deployment live: in ONE transaction (holding the routes lock) it becomes
 * `ready`, its aliases point at it, and the route table is built and loaded into Caddy. When
 * Caddy does not take it, the transaction rolls back: nothing claims to be live, the previous
 * deployment keeps serving, and finalize retries with the reason in the deployment's log.
 */
export async function finalizeDeployment(
	deps: FinalizeDeps,
	args: { deployment: Deployment; log: LogWriter; signal: AbortSignal }
): Promise<{ switchMs: number }> {
	const { db } = deps;
	const d = args.deployment;
	const snapshot = d.configSnapshot as ConfigSnapshot;
	const retryFor = deps.retryForMs ?? FINALIZE_RETRY_MS;
	const started = Date.now();
	let attempt = 0;
	for (;;) {
		attempt++;
		const t0 = performance.now();
		try {
			const moved = await db.transaction(async (tx) => {
				await lockRoutes(tx);
				const ready = await moveDeployment({
					db: tx,
					id: d.id,
					to: 'ready',
					set: { readyAt: new Date(), heartbeatAt: null },
					announce: false
				});
				if (!ready) return null;
				const aliasRows = [];
				// A promote takes over production only; the branch keeps its own preview.
				const targets = d.sourceDeploymentId
					? [snapshot.alias]
					: aliasTargetsOf(snapshot.alias, d.branch);
				for (const target of targets) {
					aliasRows.push(
						await ensureAlias(tx, {
							projectId: d.projectId,
							projectSlug: snapshot.projectSlug,
							environmentId: target.kind === 'branch' ? null : d.environmentId,
							target
						})
					);
				}
				await pointAliases(tx, { aliasIds: aliasRows.map((a) => a.id), deploymentId: d.id });
				await pushRoutes(tx, deps.cfg);
				return ready;
			});
			if (!moved) throw new StepCanceled();
			void announceDeployment(db, moved);
			const switchMs = performance.now() - t0;
			args.log.write('platform', `Routes are live (switched in ${Math.round(switchMs)} ms).`);
			await scheduleRetire(db, d.projectId);
			return { switchMs };
		} catch (error) {
			if (!(error instanceof CaddyUnavailable)) throw error;
			const waited = Date.now() - started;
			if (waited >= retryFor) {
				throw new StepFailure(
					'finalize',
					`The app is healthy, but Caddy did not take its routes for ${Math.round(waited / 1000)} s: ${error.message} Nothing was switched; the previous deployment keeps serving. Fix Caddy, then redeploy.`
				);
			}
			const delay = Math.min(1000 * 2 ** (attempt - 1), 5000);
			args.log.write(
				'platform',
				`Not live yet: ${error.message} Retrying in ${delay / 1000} s (attempt ${attempt}).`
			);
			await sleep(delay, undefined, { signal: args.signal }).catch(() => {});
			if (args.signal.aborted) throw new StepCanceled();
		}
	}
}

/**
 * After a switch, the replaced deployments keep serving in-flight requests for the drain period;
 * then the retire task stops what no alias needs any more and applies image retention.
 */
export async function scheduleRetire(db: Db, projectId: string) {
	const { drainSeconds } = await loadInstanceSettings(db);
	await addJob(
		db,
		'retire_deployments',
		{ projectId },
		{
			jobKey: `retire:${projectId}`,
			jobKeyMode: 'replace',
			runAt: new Date(Date.now() + drainSeconds * 1000),
			queueName: `aliases:${projectId}`,
			maxAttempts: 3
		}
	);
}
