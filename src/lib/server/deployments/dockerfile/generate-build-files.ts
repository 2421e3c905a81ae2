import { AppError } from '../../errors.ts';
import {
	BUILD_ENV_CONTEXT_PATH,
	BUILD_ENV_IMAGE_PATH,
	DEPLOYMENT_ENV_CONTEXT_PATH,
	DEPLOYMENT_ENV_IMAGE_PATH,
	serializeBuildEnv
} from './build-env.ts';
import { generateDockerignore } from './dockerignore.ts';
import {
	CA_ENV_VARS,
	EXTRA_CA_CONTEXT_DIR,
	SYSTEM_CA_BUNDLE,
	splitCaCertificates
} from './extra-ca.ts';
import { APP_USER, BUILD_PRESETS, type BuildPreset } from './runner-images.ts';
import {
	copyPreservingPaths,
	execForm,
	execIfSimple,
	validateContextPath,
	validateImageRef
} from './syntax.ts';

/** Where the pipeline writes `dockerfile` in the context (pass it as buildImage's `dockerfile`). */
export const GENERATED_DOCKERFILE_PATH = '.slipway/Dockerfile';

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun' | 'pip' | 'uv';

export type BuildFilesInput = {
	preset: BuildPreset;
	installCommand?: string | null;
	buildCommand?: string | null;
	/**
	 * Run with `sh -c` as uid 10001 in /app (`exec`-prefixed when it is one plain command, so the
	 * app gets SIGTERM); when empty the runner image's default CMD applies.
	 */
	startCommand?: string | null;
	/** Inferred from the install command's first word when absent. */
	packageManager?: PackageManager | null;
	/**
	 * Files of the root directory the install command reads (preset detection's `installFiles`:
	 * manifest, lockfile, package manager config). They are copied alone before the install step,
	 * so its layer is reused while they are unchanged. Empty: the install runs after the whole
	 * source is copied (e.g. `pip install .`), uncached.
	 */
	installFiles: readonly string[];
	/** The image the app runs in, e.g. runnerImageFor('node'). */
	runnerImage: string;
	/** The image install and build run in; defaults to runnerImage. */
	builderImage?: string | null;
	/** Static preset: the directory (relative to the root directory) to serve. Default: all of it. */
	outputDir?: string | null;
	/** Extra CA certificates (PEM) the build and the app trust, e.g. a TLS-intercepting proxy's. */
	extraCaPem?: string | null;
	/**
	 * The project's build-time env vars (values may be secrets). The install and build steps see
	 * them; the final image, its history and its config never do (docs/runner-images.md). A change
	 * of any value re-runs the install step, so put nothing here that changes every deployment.
	 */
	buildEnv?: Readonly<Record<string, string>> | null;
	/**
	 * Build-time values that change with every deployment (SLIPWAY_GIT_COMMIT_SHA, ...): seen by
	 * the build step only, copied after the install step so they never invalidate its layer.
	 */
	deploymentEnv?: Readonly<Record<string, string>> | null;
	/** The repository's own .dockerignore, kept after Slipway's rules. */
	repositoryDockerignore?: string | null;
};

export type BuildFiles = {
	/** Write to GENERATED_DOCKERFILE_PATH in the context. */
	dockerfile: string;
	/**
	 * Files to write into the context (paths relative to it) before building: .dockerignore and
	 * files under .slipway/. `.slipway/build-env` and `.slipway/deployment-env` hold env values
	 * (maybe secrets): write them with mode 0600, never log them, delete the context afterwards.
	 */
	extraFiles: Record<string, string>;
};

// Installing a package manager needs root, so it happens before the build switches to the app user.
const PACKAGE_MANAGER_SETUP: Partial<Record<PackageManager, string>> = {
	pnpm: 'corepack enable pnpm',
	yarn: 'corepack enable yarn',
	bun: 'npm install --global --no-audit --no-fund bun',
	uv: 'python3 -m venv /opt/uv && /opt/uv/bin/pip install --no-cache-dir uv && ln -s /opt/uv/bin/uv /usr/local/bin/uv'
};
const PACKAGE_MANAGERS_OF: Record<BuildPreset, readonly PackageManager[]> = {
	node: ['npm', 'pnpm', 'yarn', 'bun'],
	static: ['npm', 'pnpm', 'yarn', 'bun'],
	python: ['pip', 'uv'],
	go: []
};
// uv installs into the runner's virtualenv with the image's Python, never a downloaded one.
const UV_ENV = 'ENV UV_PROJECT_ENVIRONMENT=/app/.venv UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy';

function packageManagerOf(input: BuildFilesInput): PackageManager | null {
	const allowed = PACKAGE_MANAGERS_OF[input.preset];
	const pm = input.packageManager ?? input.installCommand?.trim().split(/\s+/)[0];
	return allowed.find((candidate) => candidate === pm) ?? null;
}

function present(command: string | null | undefined): string | null {
	return command && command.trim() !== '' ? command : null;
}

/** Sources the env files in the step's own shell: never ENV or ARG, which the image would record. */
function sourceEnvFiles(files: readonly string[]): string[] {
	return files.length === 0 ? [] : [`set -a; ${files.map((f) => `. ${f}; `).join('')}set +a`];
}

/** A RUN step for one user command: its exit status is the step's, and the log names the step. */
function runUserCommand(command: string, envFiles: readonly string[], before?: string): string {
	const script = [...(before ? [`${before} || exit 1`] : []), ...sourceEnvFiles(envFiles), command];
	return execForm('RUN', ['/bin/sh', '-c', script.join('\n')]);
}

function validateInput(input: BuildFilesInput) {
	if (!BUILD_PRESETS.includes(input.preset)) {
		throw new AppError('INVALID', `Slipway generates no Dockerfile for preset "${input.preset}".`, {
			field: 'preset'
		});
	}
	validateImageRef(input.runnerImage, 'runnerImage');
	if (input.builderImage) validateImageRef(input.builderImage, 'builderImage');
	for (const file of input.installFiles) validateContextPath(file, 'installFiles');
	if (present(input.outputDir) && input.outputDir !== '.') {
		validateContextPath(input.outputDir!.replace(/\/+$/, ''), 'outputDir');
	}
}

type Plan = {
	input: BuildFilesInput;
	installCommand: string | null;
	buildCommand: string | null;
	pm: PackageManager | null;
	extraCa: Record<string, string> | null;
	withBuildEnv: boolean;
	withDeploymentEnv: boolean;
	/** The directory the final stage copies out of the build stage. */
	appDir: string;
};

const caEnv = CA_ENV_VARS.map((name) => `${name}=${SYSTEM_CA_BUNDLE}`);

/** FROM the builder: CAs and package manager (as root), then install and build as the app user. */
function buildStage(plan: Plan): string[] {
	const { input, installCommand, buildCommand, pm, extraCa } = plan;
	const pmSetup = pm ? PACKAGE_MANAGER_SETUP[pm] : undefined;
	const lines = [`FROM ${input.builderImage || input.runnerImage} AS build`];
	// The runner images run as app (uid 10001) in /app; only these steps need root.
	if (extraCa || pmSetup) lines.push('USER root');
	if (extraCa) {
		lines.push(
			`COPY ${EXTRA_CA_CONTEXT_DIR}/ /usr/local/share/ca-certificates/slipway/`,
			// Appended to the bundle every tool is pointed at (CA_ENV_VARS). update-ca-certificates
			// would also rebuild OpenSSL's hashed directory: 35 s for a 140-certificate bundle, for no
			// reader here. The files stay in place, so a later update-ca-certificates keeps them.
			`RUN cat /usr/local/share/ca-certificates/slipway/*.crt >> ${SYSTEM_CA_BUNDLE}`,
			`ENV ${caEnv.join(' ')}`
		);
	}
	if (pmSetup) lines.push(`RUN ${pmSetup}`);
	if (pm === 'uv') lines.push(UV_ENV);
	if (plan.withBuildEnv) {
		lines.push(`COPY --chown=${APP_USER} ${BUILD_ENV_CONTEXT_PATH} ${BUILD_ENV_IMAGE_PATH}`);
	}
	if (extraCa || pmSetup) lines.push('USER app');

	const installEnv = plan.withBuildEnv ? [BUILD_ENV_IMAGE_PATH] : [];
	const installEarly = installCommand !== null && input.installFiles.length > 0;
	if (installEarly) {
		lines.push(
			...copyPreservingPaths(input.installFiles, APP_USER),
			runUserCommand(installCommand, installEnv)
		);
	}
	lines.push(`COPY --chown=${APP_USER} . .`);
	const buildEnv = [...installEnv];
	if (plan.withDeploymentEnv) {
		lines.push(
			`COPY --chown=${APP_USER} ${DEPLOYMENT_ENV_CONTEXT_PATH} ${DEPLOYMENT_ENV_IMAGE_PATH}`
		);
		buildEnv.push(DEPLOYMENT_ENV_IMAGE_PATH);
	}
	// The generated files came along with the source: remove them before any user command runs,
	// so that nothing the user runs can keep them in /app, which the final stage copies.
	const cleanup = 'rm -rf /app/.slipway /app/.dockerignore';
	const commands = [installEarly ? null : installCommand, buildCommand].filter((c) => c !== null);
	if (commands.length === 0) lines.push(execForm('RUN', ['/bin/sh', '-c', cleanup]));
	commands.forEach((command, i) => {
		lines.push(runUserCommand(command, buildEnv, i === 0 ? cleanup : undefined));
	});
	return lines;
}

/** FROM the runner: the CA bundle and /app of the build stage, nothing else from it. */
function finalStage(plan: Plan): string[] {
	const { input, appDir } = plan;
	const lines = [`FROM ${input.runnerImage}`];
	if (plan.extraCa) lines.push(`COPY --from=build ${SYSTEM_CA_BUNDLE} ${SYSTEM_CA_BUNDLE}`);
	const env = [...(plan.extraCa ? caEnv : [])];
	if (input.preset === 'node') env.push('NODE_ENV=production');
	if (input.preset === 'static') env.push(`STATIC_DIR=${appDir}`);
	if (env.length > 0) lines.push(`ENV ${env.join(' ')}`);
	// USER app and WORKDIR /app come from the runner image (its contract).
	lines.push(`COPY --from=build --chown=${APP_USER} ${appDir} ${appDir}`);
	const startCommand = present(input.startCommand);
	if (startCommand !== null) {
		lines.push(execForm('CMD', ['/bin/sh', '-c', execIfSimple(startCommand)]));
	}
	return lines;
}

/**
 * The Dockerfile and context files of a preset build. Pure: no Docker, no file system.
 *
 * Two stages. `build` (FROM the builder image) trusts the extra CAs, copies the install files
 * alone and installs (a layer reused while they are unchanged), then copies the source and builds;
 * only this stage sees the build-time env vars. The final stage starts again FROM the runner and
 * copies /app out of `build`, so no layer, history entry or config of the image the app runs in
 * ever held a build secret.
 */
export function generateBuildFiles(input: BuildFilesInput): BuildFiles {
	validateInput(input);
	const buildEnv = input.buildEnv ?? {};
	const deploymentEnv = input.deploymentEnv ?? {};
	const outputDir = (present(input.outputDir) ?? '.').replace(/\/+$/, '') || '.';
	const plan: Plan = {
		input,
		installCommand: present(input.installCommand),
		buildCommand: present(input.buildCommand),
		pm: packageManagerOf(input),
		extraCa: present(input.extraCaPem) ? splitCaCertificates(input.extraCaPem!) : null,
		withBuildEnv: Object.keys(buildEnv).length > 0,
		withDeploymentEnv: Object.keys(deploymentEnv).length > 0,
		appDir: outputDir === '.' ? '/app' : `/app/${outputDir}`
	};
	const dockerfile = [
		`# Generated by Slipway for the ${input.preset} preset. Build secrets stay in the build`,
		'# stage: the final stage copies only /app from it (docs/runner-images.md).',
		...buildStage(plan),
		'',
		...finalStage(plan)
	];
	const extraFiles: Record<string, string> = {
		'.dockerignore': generateDockerignore(input.repositoryDockerignore),
		...plan.extraCa
	};
	if (plan.withBuildEnv) extraFiles[BUILD_ENV_CONTEXT_PATH] = serializeBuildEnv(buildEnv);
	if (plan.withDeploymentEnv) {
		extraFiles[DEPLOYMENT_ENV_CONTEXT_PATH] = serializeBuildEnv(deploymentEnv);
	}
	return { dockerfile: dockerfile.join('\n') + '\n', extraFiles };
}
