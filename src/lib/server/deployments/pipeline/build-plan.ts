import { getPreset, isPresetId } from '../../projects/presets/catalog.ts';
import type { DetectedPreset } from '../../projects/presets/types.ts';
import {
	GENERATED_DOCKERFILE_PATH,
	generateBuildFiles
} from '../dockerfile/generate-build-files.ts';
import { runnerImageFor } from '../dockerfile/runner-images.ts';
import type { ConfigSnapshot } from '../snapshot.ts';
import { StepFailure } from './step-failure.ts';

export type BuildPlan = {
	/** Path of the Dockerfile inside the build context. */
	dockerfile: string;
	/** Files to write into the context before building (generated Dockerfile, CA bundle...). */
	files: Record<string, string>;
	buildArgs: Record<string, string>;
	description: string;
};

/**
 * Decides how to build: the repository's own Dockerfile when the project says so (or has one and
 * no preset), else a Dockerfile generated from the preset, with the user's commands winning over
 * detected ones.
 */
export function planBuild(args: {
	snapshot: ConfigSnapshot;
	detected: DetectedPreset | null;
	files: readonly string[];
	extraCaPem: string | null;
	buildEnv: Record<string, string>;
	repositoryDockerignore: string | null;
}): BuildPlan {
	const { snapshot: s, detected } = args;
	const presetId = s.preset ?? detected?.preset ?? (s.dockerfilePath ? 'dockerfile' : null);
	if (!presetId || !isPresetId(presetId)) {
		throw new StepFailure(
			'build',
			detected?.reasons.join(' ') ??
				'No build preset is set. Pick one in the project settings or add a Dockerfile.'
		);
	}
	if (presetId === 'dockerfile') {
		const dockerfile = s.dockerfilePath ?? 'Dockerfile';
		if (!args.files.includes(dockerfile)) {
			throw new StepFailure(
				'build',
				`${dockerfile} does not exist in the root directory. Fix the Dockerfile path in the project settings.`
			);
		}
		return { dockerfile, files: {}, buildArgs: {}, description: `repository ${dockerfile}` };
	}
	const preset = getPreset(presetId);
	const generated = generateBuildFiles({
		preset: presetId,
		installCommand: s.installCommand ?? detected?.installCommand ?? preset.installCommand,
		buildCommand: s.buildCommand ?? detected?.buildCommand ?? preset.buildCommand,
		startCommand: s.startCommand ?? detected?.startCommand ?? preset.startCommand,
		installFiles: detected?.installFiles ?? [],
		runnerImage: runnerImageFor(presetId),
		extraCaPem: args.extraCaPem,
		buildEnv: args.buildEnv,
		repositoryDockerignore: args.repositoryDockerignore
	});
	return {
		dockerfile: GENERATED_DOCKERFILE_PATH,
		files: { ...generated.extraFiles, [GENERATED_DOCKERFILE_PATH]: generated.dockerfile },
		buildArgs: {},
		description: `${preset.label} preset`
	};
}
