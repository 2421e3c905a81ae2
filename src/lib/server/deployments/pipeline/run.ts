import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import { decryptSecret, type Keyring } from '../../crypto/secret-box.ts';
import type { Db } from '../../db/client.ts';
import { deployments } from '../../db/schema/index.ts';
import { LABEL } from '../../docker/client.ts';
import {
	inspectContainer,
	keepRunning,
	removeContainer,
	startContainer
} from '../../docker/containers.ts';
import { ensureProjectNetwork } from '../../docker/networks.ts';
import { buildPlatformEnv } from '../../env-vars/resolve.ts';
import { logger } from '../../log.ts';
import { createLogWriter, type LogWriter } from '../../logs/writer.ts';
import { envSnapshotAad } from '../create.ts';
import type { ConfigSnapshot } from '../snapshot.ts';
import { aliasUrl } from '../urls.ts';
import { loadInstanceSettings } from '../../projects/limits.ts';
import { buildStep } from './build-step.ts';
import { fetchStep } from './fetch-step.ts';
import { probeHealth } from './probe.ts';
import type { Semaphore } from './semaphore.ts';
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
};

const SHUTDOWN_REASON =
	'The worker was stopped (shutdown or restart) during this deployment. Redeploy to run it again.';

const PIDS_LIMIT = 256;

/**
 * The deploy task: fetch → build → start → health check → ready. Every step checks that the
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
	try {
		await mkdir(workspace, { recursive: true });
		const snapshot = claimed.configSnapshot as ConfigSnapshot;
		const source = await fetchStep(deps, {
			deployment: claimed,
			snapshot,
			workspace,
			log,
			signal: controller.signal
		});
		stage = 'build';
		const image = await buildStep(deps, {
			deployment: { ...claimed, ...source },
			snapshot,
			sourceDir: source.dir,
			log,
			signal: controller.signal,
			buildEnv: openEnv(deps.keyring, claimed).build
		});
		stage = 'start';
		containerId = await startStep(deps, {
			deployment: { ...claimed, ...source },
			snapshot,
			image,
			log
		});
		stage = 'probe';
		await probeStep(deps, {
			deploymentId: claimed.id,
			containerId,
			snapshot,
			log,
			signal: controller.signal
		});
		await keepRunning(containerId);
		const ready = await moveDeployment({
			db,
			id: claimed.id,
			to: 'ready',
			set: { readyAt: new Date(), heartbeatAt: null }
		});
		if (!ready) throw new StepCanceled();
		log.write(
			'platform',
			`Deployment is ready (${Math.round((Date.now() - now.getTime()) / 100) / 10} s).`
		);
	} catch (error) {
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
		await rm(workspace, { recursive: true, force: true }).catch(() => {});
	}
}

function openEnv(
	keyring: Keyring,
	deployment: Deployment
): { runtime: Record<string, string>; build: Record<string, string> } {
	if (!deployment.envSnapshotSealed) return { runtime: {}, build: {} };
	return JSON.parse(
		decryptSecret({
			keyring,
			sealed: deployment.envSnapshotSealed,
			aad: envSnapshotAad(deployment.id)
		})
	);
}

async function startStep(
	deps: PipelineDeps,
	args: {
		deployment: Deployment & { sha: string; message: string };
		snapshot: ConfigSnapshot;
		image: string;
		log: LogWriter;
	}
): Promise<string> {
	const { deployment: d, snapshot } = args;
	const moved = await moveDeployment({
		db: deps.db,
		id: d.id,
		to: 'starting',
		set: { startStartedAt: new Date(), image: args.image }
	});
	if (!moved) throw new StepCanceled();
	const platform = buildPlatformEnv({
		port: snapshot.port,
		url: aliasUrl(deps.cfg, snapshot.projectSlug, snapshot.alias),
		environment: snapshot.environment,
		deploymentId: d.id,
		branch: d.branch,
		commitSha: args.deployment.sha,
		commitMessage: args.deployment.message,
		repo: snapshot.repoUrl
	});
	const env = { ...platform, ...openEnv(deps.keyring, d).runtime };
	const network = await ensureProjectNetwork(d.projectId);
	args.log.write(
		'platform',
		`Starting container (port ${snapshot.port}, ${snapshot.memoryMb} MB, ${snapshot.cpuMillicores / 1000} CPU).`
	);
	const container = await startContainer({
		name: `slipway-${snapshot.projectSlug}-${d.id.slice(0, 8)}`,
		image: args.image,
		env,
		labels: {
			[LABEL.instance]: (await loadInstanceSettings(deps.db)).instanceId,
			[LABEL.project]: d.projectId,
			[LABEL.deployment]: d.id
		},
		port: snapshot.port,
		network,
		memoryMb: snapshot.memoryMb,
		cpuMillicores: snapshot.cpuMillicores,
		pidsLimit: PIDS_LIMIT,
		bindIp: deps.cfg.SLIPWAY_RUNTIME_BIND
	});
	await deps.db
		.update(deployments)
		.set({ containerId: container.id, hostPort: container.hostPort })
		.where(eq(deployments.id, d.id));
	deps.collectLogs({ id: d.id, containerId: container.id });
	return container.id;
}

async function probeStep(
	deps: PipelineDeps,
	args: {
		deploymentId: string;
		containerId: string;
		snapshot: ConfigSnapshot;
		log: LogWriter;
		signal: AbortSignal;
	}
) {
	const { snapshot } = args;
	const status = await inspectContainer(args.containerId, snapshot.port);
	const url = `http://${deps.cfg.SLIPWAY_RUNTIME_BIND}:${status.hostPort}${snapshot.healthCheckPath}`;
	args.log.write(
		'platform',
		`Health check: GET ${snapshot.healthCheckPath} until it answers 2xx or 3xx.`
	);
	const result = await probeHealth({
		url,
		port: snapshot.port,
		path: snapshot.healthCheckPath,
		memoryMb: snapshot.memoryMb,
		timeoutMs: deps.cfg.HEALTH_CHECK_TIMEOUT_SECONDS * 1000,
		signal: args.signal,
		status: () => inspectContainer(args.containerId),
		onAttempt: (message) => args.log.write('platform', message)
	});
	if (args.signal.aborted) throw new StepCanceled();
	if (!result.ok) throw new StepFailure(result.stage, result.reason);
	args.log.write('platform', `Health check passed (HTTP ${result.status}).`);
}
