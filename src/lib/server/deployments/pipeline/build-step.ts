import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../../errors.ts';
import { resolveInsideCheckout } from '../../projects/safe-path.ts';
import { buildImage, ImageBuildError } from '../../docker/build.ts';
import type { LogWriter } from '../../logs/writer.ts';
import { detectPreset } from '../../projects/presets/detect.ts';
import { loadInstanceSettings } from '../../projects/limits.ts';
import type { ConfigSnapshot } from '../snapshot.ts';
import { BUILD_ENV_CONTEXT_PATH } from '../dockerfile/build-env.ts';
import { planBuild } from './build-plan.ts';
import { explainBuildFailure } from './explain-build.ts';
import { listRepoFiles } from './repo-files.ts';
import type { PipelineDeps } from './run.ts';
import type { Deployment } from './state.ts';
import { StepCanceled, StepFailure } from './step-failure.ts';

/**
 * Builds `slipway/<project>:<deployment>` from the fetched source: the repository's Dockerfile,
 * or one generated from the preset whose dependency layer is cached while lockfiles are unchanged.
 */
export async function buildStep(
	deps: PipelineDeps,
	args: {
		deployment: Deployment;
		snapshot: ConfigSnapshot;
		sourceDir: string;
		log: LogWriter;
		signal: AbortSignal;
		buildEnv: Record<string, string>;
	}
): Promise<string> {
	const { snapshot, log } = args;
	let contextDir: string;
	try {
		contextDir = await resolveInsideCheckout(args.sourceDir, snapshot.rootDirectory);
	} catch (error) {
		if (error instanceof AppError) throw new StepFailure('build', error.message);
		throw error;
	}
	const settings = await loadInstanceSettings(deps.db);
	const repo = await listRepoFiles(contextDir);
	const detected = snapshot.preset || snapshot.dockerfilePath ? null : await detectPreset(repo);
	if (detected) log.write('platform', `Detected ${detected.label}: ${detected.reasons.join(' ')}`);
	const plan = planBuild({
		snapshot,
		detected,
		files: repo.files,
		extraCaPem: settings.extraCaCertificates,
		buildEnv: args.buildEnv,
		repositoryDockerignore: await repo.read('.dockerignore')
	});
	// A repository may commit `.slipway` or `.dockerignore` as links to host paths: replace them.
	for (const path of ['.slipway', ...Object.keys(plan.files)]) {
		await rm(join(contextDir, path), { recursive: true, force: true });
	}
	for (const [path, content] of Object.entries(plan.files)) {
		await mkdir(dirname(join(contextDir, path)), { recursive: true });
		// build-env may hold secrets: readable by us only; the whole workspace goes after the build.
		await writeFile(join(contextDir, path), content, {
			mode: path === BUILD_ENV_CONTEXT_PATH ? 0o600 : 0o644
		});
	}
	const tag = `slipway/${snapshot.projectSlug}:${args.deployment.id}`;
	const timeout = AbortSignal.timeout(settings.buildTimeoutSeconds * 1000);
	log.write('platform', `Building image ${tag} (${plan.description}).`);
	try {
		await deps.buildSlots.run(
			() =>
				buildImage({
					contextDir,
					dockerfile: plan.dockerfile,
					tag,
					buildArgs: plan.buildArgs,
					memoryMb: settings.buildMemoryMb,
					cpuMillicores: settings.buildCpuMillicores,
					signal: AbortSignal.any([args.signal, timeout]),
					onLine: (line) => log.write('build', line)
				}),
			() => log.write('platform', 'Waiting for a free build slot (other builds are running).')
		);
	} catch (error) {
		if (args.signal.aborted) throw new StepCanceled();
		if (timeout.aborted) {
			throw new StepFailure(
				'build',
				`The build took longer than ${Math.round(settings.buildTimeoutSeconds / 60)} minutes and was stopped. Speed it up or ask an admin to raise the build time limit.`
			);
		}
		if (error instanceof ImageBuildError)
			throw new StepFailure('build', explainBuildFailure(error));
		throw error;
	}
	return tag;
}
