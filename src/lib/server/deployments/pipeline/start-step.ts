import { eq } from 'drizzle-orm';
import { decryptSecret, type Keyring } from '../../crypto/secret-box.ts';
import { deployments } from '../../db/schema/index.ts';
import { LABEL } from '../../docker/client.ts';
import { inspectContainer, startContainer } from '../../docker/containers.ts';
import { ensureProjectNetwork } from '../../docker/networks.ts';
import { buildPlatformEnv } from '../../env-vars/resolve.ts';
import type { LogWriter } from '../../logs/writer.ts';
import { loadInstanceSettings } from '../../projects/limits.ts';
import { ensureAlias } from '../../proxy/aliases.ts';
import { envSnapshotAad } from '../create.ts';
import type { ConfigSnapshot } from '../snapshot.ts';
import { labelUrl } from '../urls.ts';
import { probeHealth } from './probe.ts';
import type { PipelineDeps } from './run.ts';
import type { Deployment } from './state.ts';
import { StepCanceled, StepFailure } from './step-failure.ts';

const PIDS_LIMIT = 256;

/** The env snapshot sealed at creation: runtime variables and build-time ones. */
export function openEnv(
	keyring: Keyring,
	deployment: Pick<Deployment, 'id' | 'envSnapshotSealed'>
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

/**
 * Starts the app container of a deployment from `image` with its env snapshot and the platform
 * variables, and records the container on the row. Used by deploys, promotes and by rollbacks
 * to a deployment whose container was retired.
 */
export async function startDeploymentContainer(
	deps: Pick<PipelineDeps, 'db' | 'keyring' | 'cfg' | 'collectLogs'>,
	args: {
		deployment: Deployment;
		snapshot: ConfigSnapshot;
		image: string;
		commit: { sha: string; message: string };
		log: LogWriter;
	}
): Promise<string> {
	const { deployment: d, snapshot } = args;
	const alias = await ensureAlias(deps.db, {
		projectId: d.projectId,
		projectSlug: snapshot.projectSlug,
		environmentId: d.environmentId,
		target: snapshot.alias
	});
	const platform = buildPlatformEnv({
		port: snapshot.port,
		url: labelUrl(deps.cfg, alias.label),
		environment: snapshot.environment,
		deploymentId: d.id,
		branch: d.branch,
		commitSha: args.commit.sha,
		commitMessage: args.commit.message,
		repo: snapshot.repoUrl
	});
	const env = { ...platform, ...openEnv(deps.keyring, d).runtime };
	const network = await ensureProjectNetwork(d.projectId, deps.cfg.SLIPWAY_NETWORK_POOL);
	args.log.write(
		'platform',
		`Starting container (port ${snapshot.port}, ${snapshot.memoryMb} MB, ${snapshot.cpuMillicores / 1000} CPU).`
	);
	const container = await startContainer({
		name: `slipway-${snapshot.projectSlug}-${d.id.slice(0, 8)}-${Date.now().toString(36)}`,
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
		.set({ containerId: container.id, hostPort: container.hostPort, stoppedAt: null })
		.where(eq(deployments.id, d.id));
	deps.collectLogs({ id: d.id, containerId: container.id });
	return container.id;
}

/** Probes the health path until it answers 2xx/3xx; a failure says why (exit, OOM, timeout). */
export async function probeStep(
	deps: Pick<PipelineDeps, 'cfg'>,
	args: {
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
