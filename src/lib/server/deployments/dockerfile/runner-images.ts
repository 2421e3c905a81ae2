/** Presets whose Dockerfile Slipway generates ('dockerfile' projects bring their own). */
export const BUILD_PRESETS = ['node', 'python', 'go', 'static'] as const;
export type BuildPreset = (typeof BUILD_PRESETS)[number];

/**
 * Tag of the runner images (runner-images/<preset>/Dockerfile, built by
 * scripts/build-base-images.sh). Bump it when a runner's contract changes, so images of older
 * deployments keep building FROM the runner they were made for.
 */
export const RUNNER_IMAGE_TAG = '1';

export function runnerImageFor(preset: BuildPreset): string {
	return `slipway/runner-${preset}:${RUNNER_IMAGE_TAG}`;
}

/** The uid/gid every runner image gives its `app` user; containers run as it. */
export const APP_UID = 10001;
export const APP_USER = `${APP_UID}:${APP_UID}`;
