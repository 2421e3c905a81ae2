/** One decrypted user variable, as the caller loaded it for a scope. */
export type EnvVarValue = { key: string; value: string; buildTime: boolean };

export type PlatformEnvInput = {
	port: number;
	/** The URL the app is reached at in this environment. */
	url: string;
	/** `production`, the environment's slug, or `preview`. */
	environment: string;
	deploymentId: string;
	branch: string;
	commitSha?: string | null;
	commitMessage?: string | null;
	/** How the project shows its repository, e.g. `owner/repo`. */
	repo: string;
};

// Commit messages can be arbitrarily long; the kernel limits one env string to 128 KiB.
const MAX_COMMIT_MESSAGE_LENGTH = 4096;

/** The variables Slipway injects into every deployment (product.md §4). */
export function buildPlatformEnv(input: PlatformEnvInput): Record<string, string> {
	const env: Record<string, string> = {
		PORT: String(input.port),
		SLIPWAY: '1',
		SLIPWAY_URL: input.url,
		SLIPWAY_ENVIRONMENT: input.environment,
		SLIPWAY_DEPLOYMENT_ID: input.deploymentId,
		SLIPWAY_GIT_BRANCH: input.branch
	};
	if (input.commitSha) env.SLIPWAY_GIT_COMMIT_SHA = input.commitSha;
	if (input.commitMessage) {
		env.SLIPWAY_GIT_COMMIT_MESSAGE = input.commitMessage
			.replaceAll('\0', '')
			.slice(0, MAX_COMMIT_MESSAGE_LENGTH);
	}
	env.SLIPWAY_GIT_REPO = input.repo;
	return env;
}

export type ResolvedEnv = {
	/** What the container runs with: platform variables, then user variables on top. */
	runtime: Record<string, string>;
	/** Only the user variables flagged build-time, after scopes are applied. */
	build: Record<string, string>;
	/**
	 * Platform variables a user variable replaced. Worth a line in the deployment log: an app told
	 * `PORT=3000` listens there while the health check probes the project's port.
	 */
	overriddenPlatformKeys: string[];
};

/**
 * Layers a deployment's variables: all-environments, then the environment's own, then the preview
 * branch's (each overrides the one before), on top of the platform variables. User values win on
 * conflict (product.md §4), and the winning variable's build-time flag is the one that counts.
 */
export function resolveDeploymentEnv({
	allEnvironments,
	environment = [],
	branch = [],
	platform
}: {
	allEnvironments: readonly EnvVarValue[];
	environment?: readonly EnvVarValue[];
	branch?: readonly EnvVarValue[];
	platform: Readonly<Record<string, string>>;
}): ResolvedEnv {
	const user = new Map<string, EnvVarValue>();
	for (const layer of [allEnvironments, environment, branch]) {
		for (const variable of layer) user.set(variable.key, variable);
	}

	const runtime: Record<string, string> = { ...platform };
	const build: Record<string, string> = {};
	const overriddenPlatformKeys: string[] = [];
	for (const { key, value, buildTime } of user.values()) {
		if (Object.hasOwn(platform, key) && platform[key] !== value) overriddenPlatformKeys.push(key);
		runtime[key] = value;
		if (buildTime) build[key] = value;
	}
	return { runtime, build, overriddenPlatformKeys };
}
