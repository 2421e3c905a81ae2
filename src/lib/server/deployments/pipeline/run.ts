import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Keyring } from '../../crypto/secret-box.ts';
import type { Db } from '../../db/client.ts';
import { deployments } from '../../db/schema/index.ts';
import { imageExists } from '../../docker/build.ts';
import { keepRunning, removeContainer } from '../../docker/containers.ts';
import { publishDeploymentEvent } from '../../events/bus.ts';
import { logger } from '../../log.ts';
import { createLogWriter, type LogWriter } from '../../logs/writer.ts';
import { finalizeDeployment } from '../finalize.ts';
import type { ConfigSnapshot } from '../snapshot.ts';
import { buildStep } from './build-step.ts';
import { fetchStep } from './fetch-step.ts';
import type { Semaphore } from './semaphore.ts';
import { openEnv, probeStep, startDeploymentContainer } from './start-step.ts';
import { failDeployment, moveDeployment, type Deployment } from './state.ts';
import { StepCanceled, StepFailure } from './step-failure.ts';
import { watchDeployment } from './watch.ts';

export type PipelineDeps = {
	db: Db;
	keyring: Keyring;
	cfg: Config;
	buildSlots: Semaphore;
	/** Starts collecting a container's stdout/stderr into the log store. */
	collectLogs: (deployment: { id: string; containerId: string }) => void;
	/** Aborted when the worker shuts down: running pipelines stop instead of holding it up. */
	shutdown?: AbortSignal;
	/** Called the moment the health check passed (benchmarks time the switch from here). */
	onHealthy?: (deploymentId: string) => void;
	/** How long finalize retries a Caddy that does not take the routes (default 60 s). */
	retryForMs?: number;
};

const SHUTDOWN_REASON =
	'The worker was stopped (shutdown or restart) during this deployment. Redeploy to run it again.';

/**
 * The deploy task: fetch → build → start → health check → finalize (routes live) → ready. Every step checks that the
 * deployment may still move on; a failure anywhere records its stage and reason and removes the
 * container, so nothing is left half-started.
 */
export async function runDeployment(
	deps: PipelineDeps,
	args: { deploymentId: string; jobId?: number }
) {
	const { db } = deps;
	const now = new Date();
	const claimed = await moveDeployment({
		db,
		id: args.deploymentId,
		to: 'building',
		set: { jobId: args.jobId ?? null, heartbeatAt: now, buildStartedAt: now }
	});
	// Not queued any more: canceled, superseded, or this task ran before (the reconciler owns that).
	if (!claimed) return;

	const log = createLogWriter({ db, deploymentId: claimed.id });
	const controller = new AbortController();
	const onShutdown = () => controller.abort();
	deps.shutdown?.addEventListener('abort', onShutdown, { once: true });
	const watch = watchDeployment({ db, id: claimed.id, controller });
	const workspace = join(deps.cfg.SLIPWAY_WORK_DIR, 'builds', claimed.id);
	let containerId: string | null = null;
	let stage: StepFailure['stage'] = 'fetch';
	let ended = false;
	try {
		await mkdir(workspace, { recursive: true });
		const snapshot = claimed.configSnapshot as ConfigSnapshot;
		const { image, commit } = claimed.sourceDeploymentId
			? await reuseImage(deps, { deployment: claimed, log })
			: await fetchAndBuild(deps, {
					onBuild: () => (stage = 'build'),
					deployment: claimed,
					snapshot,
					workspace,
					log,
					signal: controller.signal
				});
		stage = 'start';
		const moved = await moveDeployment({
			db,
			id: claimed.id,
			to: 'starting',
			set: { startStartedAt: new Date(), image }
		});
		if (!moved) throw new StepCanceled();
		containerId = await startDeploymentContainer(deps, {
			deployment: moved,
			snapshot,
			image,
			commit,
			log
		});
		stage = 'probe';
		await probeStep(deps, { containerId, snapshot, log, signal: controller.signal });
		deps.onHealthy?.(claimed.id);
		stage = 'finalize';
		await finalizeDeployment(deps, { deployment: moved, log, signal: controller.signal });
		// After the switch, off its critical path: from now on Docker restarts the app if it
		// crashes (the reconciler also restarts a stopped ready container).
		await keepRunning(containerId).catch((error) =>
			logger().warn({ err: error, deploymentId: claimed.id }, 'could not set restart policy')
		);
		log.write(
			'platform',
			`Deployment is ready (${Math.round((Date.now() - now.getTime()) / 100) / 10} s).`
		);
	} catch (error) {
		ended = true;
		const canceled = controller.signal.aborted || error instanceof StepCanceled;
		if (containerId) await removeContainer(containerId).catch(() => {});
		if (deps.shutdown?.aborted) {
			log.write('platform', SHUTDOWN_REASON);
			await failDeployment({ db, id: claimed.id, stage, reason: SHUTDOWN_REASON });
		} else if (canceled) {
			log.write('platform', 'Deployment canceled.');
		} else {
			const failure =
				error instanceof StepFailure
					? error
					: new StepFailure(
							stage,
							`Slipway hit an internal error: ${(error as Error).message}. Redeploy; if it keeps failing, check the worker log.`
						);
			if (!(error instanceof StepFailure))
				logger().error({ err: error, deploymentId: claimed.id }, 'pipeline error');
			log.write('platform', `Deployment failed at ${failure.stage}: ${failure.message}`);
			await failDeployment({ db, id: claimed.id, stage: failure.stage, reason: failure.message });
		}
	} finally {
		deps.shutdown?.removeEventListener('abort', onShutdown);
		watch.stop();
		await log.close();
		// A deployment that did not go live writes no more lines: live log views may end.
		if (ended) void publishDeploymentEvent(claimed.id, { type: 'end' });
		await rm(workspace, { recursive: true, force: true }).catch(() => {});
	}
}

async function fetchAndBuild(
	deps: PipelineDeps,
	args: {
		onBuild: () => void;
		deployment: Deployment;
		snapshot: ConfigSnapshot;
		workspace: string;
		log: LogWriter;
		signal: AbortSignal;
	}
) {
	const source = await fetchStep(deps, args);
	args.onBuild();
	const image = await buildStep(deps, {
		deployment: { ...args.deployment, ...source },
		snapshot: args.snapshot,
		sourceDir: source.dir,
		log: args.log,
		signal: args.signal,
		buildEnv: openEnv(deps.keyring, args.deployment).build
	});
	return { image, commit: { sha: source.sha, message: source.message } };
}

/** Promote: run the image another deployment built (no fetch, no build). */
async function reuseImage(deps: PipelineDeps, args: { deployment: Deployment; log: LogWriter }) {
	const [source] = await deps.db
		.select()
		.from(deployments)
		.where(eq(deployments.id, args.deployment.sourceDeploymentId!));
	if (!source?.image || source.imageRemovedAt || !(await imageExists(source.image))) {
		throw new StepFailure(
			'build',
			'The image of the deployment being promoted is gone (removed by image retention). Redeploy its commit instead.'
		);
	}
	args.log.write(
		'platform',
		`Promoting deployment ${source.id.slice(0, 8)}: reusing its image ${source.image} (no build).`
	);
	return {
		image: source.image,
		commit: { sha: source.commitSha ?? '', message: source.commitMessage ?? '' }
	};
}
