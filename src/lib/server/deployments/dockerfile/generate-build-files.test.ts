import { describe, expect, it } from 'vitest';
import { BUILD_ENV_CONTEXT_PATH } from './build-env.ts';
import {
	generateBuildFiles,
	GENERATED_DOCKERFILE_PATH,
	type BuildFilesInput
} from './generate-build-files.ts';
import { runnerImageFor } from './runner-images.ts';

const CERT = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;

const node: BuildFilesInput = {
	preset: 'node',
	installCommand: 'npm ci',
	buildCommand: 'npm run build',
	startCommand: 'npm start',
	installFiles: ['package.json', 'package-lock.json'],
	runnerImage: runnerImageFor('node')
};

/** The Dockerfile's instructions, one string each; the build stage and the final stage apart. */
function stages(dockerfile: string) {
	const lines = dockerfile.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
	const final = lines.findLastIndex((l) => l.startsWith('FROM '));
	return { all: lines, build: lines.slice(0, final), final: lines.slice(final) };
}

/** The `sh -c` script of an exec-form RUN/CMD line. */
function script(line: string): string {
	const args: string[] = JSON.parse(line.slice(line.indexOf('[')));
	expect(args.slice(0, 2)).toEqual(['/bin/sh', '-c']);
	return args[2];
}

describe('generateBuildFiles', () => {
	it('installs from the install files alone, then copies the source and builds', () => {
		const { build } = stages(generateBuildFiles(node).dockerfile);
		const copyInstall = build.indexOf(
			'COPY --chown=10001:10001 ["package-lock.json", "package.json", "./"]'
		);
		const install = build.findIndex((l) => l.startsWith('RUN [') && script(l).endsWith('npm ci'));
		const copySource = build.indexOf('COPY --chown=10001:10001 . .');
		const runBuild = build.findIndex(
			(l) => l.startsWith('RUN [') && script(l).endsWith('npm run build')
		);
		expect(copyInstall).toBeGreaterThan(0);
		expect([copyInstall, install, copySource, runBuild]).toEqual(
			[copyInstall, install, copySource, runBuild].sort((a, b) => a - b)
		);
		expect(new Set([copyInstall, install, copySource, runBuild]).size).toBe(4);
	});

	it('keeps nested install files in their directories', () => {
		const { dockerfile } = generateBuildFiles({
			...node,
			installFiles: ['package.json', 'yarn.lock', '.yarn/releases/yarn-4.5.0.cjs', '.yarnrc.yml']
		});
		expect(dockerfile).toContain(
			'COPY --chown=10001:10001 [".yarn/releases/yarn-4.5.0.cjs", ".yarn/releases/"]'
		);
		expect(dockerfile).toContain(
			'COPY --chown=10001:10001 [".yarnrc.yml", "package.json", "yarn.lock", "./"]'
		);
	});

	it('installs after the source when the install needs all of it', () => {
		const { build } = stages(
			generateBuildFiles({
				...node,
				preset: 'python',
				installCommand: 'pip install .',
				buildCommand: null,
				installFiles: [],
				runnerImage: runnerImageFor('python')
			}).dockerfile
		);
		const copySource = build.indexOf('COPY --chown=10001:10001 . .');
		const install = build.findIndex((l) => l.startsWith('RUN [') && script(l).includes('pip'));
		expect(install).toBeGreaterThan(copySource);
		expect(script(build[install])).toBe(
			'rm -rf /app/.slipway /app/.dockerignore || exit 1\npip install .'
		);
	});

	it('removes the generated files from /app even without install or build commands', () => {
		const { build } = stages(
			generateBuildFiles({
				preset: 'static',
				installFiles: [],
				runnerImage: runnerImageFor('static')
			}).dockerfile
		);
		expect(build.at(-1)).toBe('RUN ["/bin/sh", "-c", "rm -rf /app/.slipway /app/.dockerignore"]');
	});

	it('passes commands to sh -c verbatim, whatever they contain', () => {
		const tricky = `echo "it's # not a comment" \\\nnpm run "build:$MODE" || exit 3`;
		const { final, build } = stages(
			generateBuildFiles({ ...node, buildCommand: tricky, startCommand: tricky }).dockerfile
		);
		expect(script(final.at(-1)!)).toBe(tricky);
		expect(final.at(-1)!.startsWith('CMD [')).toBe(true);
		expect(script(build.at(-1)!)).toBe(
			`rm -rf /app/.slipway /app/.dockerignore || exit 1\n${tricky}`
		);
		// every instruction is still one line: nothing can inject another instruction
		const instructions = /^(FROM|USER|WORKDIR|COPY|RUN|ENV|CMD) /;
		for (const line of stages(generateBuildFiles({ ...node, buildCommand: tricky }).dockerfile)
			.all) {
			expect(line).toMatch(instructions);
		}
	});

	it('copies only /app out of the build stage, owned by the app user', () => {
		const { final } = stages(generateBuildFiles(node).dockerfile);
		// USER app and WORKDIR /app come from the runner image (runner-images.test.ts checks them)
		expect(final).toEqual([
			'FROM slipway/runner-node:1',
			'ENV NODE_ENV=production',
			'COPY --from=build --chown=10001:10001 /app /app',
			'CMD ["/bin/sh", "-c", "exec npm start"]'
		]);
	});

	it('runs install and build as the app user', () => {
		const { build } = stages(
			generateBuildFiles({ ...node, installCommand: 'pnpm install', extraCaPem: CERT('AAAA') })
				.dockerfile
		);
		const lastUser = build.findLastIndex((l) => l.startsWith('USER '));
		expect(build[lastUser]).toBe('USER app');
		expect(lastUser).toBeLessThan(build.findIndex((l) => l.startsWith('RUN [')));
	});

	it("keeps the runner's default command when there is no start command", () => {
		const { final } = stages(generateBuildFiles({ ...node, startCommand: '  ' }).dockerfile);
		expect(final.some((l) => l.startsWith('CMD'))).toBe(false);
	});

	it('serves only the output directory of a static site', () => {
		const { final } = stages(
			generateBuildFiles({
				preset: 'static',
				installCommand: 'npm ci',
				buildCommand: 'npm run build',
				installFiles: ['package.json', 'package-lock.json'],
				outputDir: 'dist/',
				runnerImage: runnerImageFor('static')
			}).dockerfile
		);
		expect(final).toContain('ENV STATIC_DIR=/app/dist');
		expect(final).toContain('COPY --from=build --chown=10001:10001 /app/dist /app/dist');
	});

	it('builds in the builder image and runs in the runner image when they differ', () => {
		const { build, final } = stages(
			generateBuildFiles({
				...node,
				preset: 'static',
				builderImage: runnerImageFor('node'),
				runnerImage: runnerImageFor('static')
			}).dockerfile
		);
		expect(build[0]).toBe('FROM slipway/runner-node:1 AS build');
		expect(final[0]).toBe('FROM slipway/runner-static:1');
	});

	describe('extra CA certificates', () => {
		const input = { ...node, extraCaPem: CERT('AAAA') + 'junk\n' + CERT('BBBB') };

		it('writes one context file per certificate', () => {
			const { extraFiles } = generateBuildFiles(input);
			expect(extraFiles['.slipway/extra-ca/extra-ca-1.crt']).toBe(CERT('AAAA'));
			expect(extraFiles['.slipway/extra-ca/extra-ca-2.crt']).toBe(CERT('BBBB'));
		});

		it('trusts them before the first install step, in every tool, in both stages', () => {
			const { build, final } = stages(generateBuildFiles(input).dockerfile);
			const copyCa = build.indexOf(
				'COPY .slipway/extra-ca/ /usr/local/share/ca-certificates/slipway/'
			);
			const update = build.findIndex((l) => l.includes('>> /etc/ssl/certs/ca-certificates.crt'));
			const firstInstall = build.findIndex((l) => l.startsWith('RUN ['));
			expect(build[1]).toBe('USER root');
			expect(copyCa).toBe(2);
			expect(update).toBe(3);
			expect(firstInstall).toBeGreaterThan(update);
			expect(build.indexOf('USER app')).toBeLessThan(firstInstall);
			for (const name of [
				'NODE_EXTRA_CA_CERTS',
				'SSL_CERT_FILE',
				'REQUESTS_CA_BUNDLE',
				'PIP_CERT',
				'GIT_SSL_CAINFO'
			]) {
				const env = `${name}=/etc/ssl/certs/ca-certificates.crt`;
				expect(build.find((l) => l.startsWith('ENV '))).toContain(env);
				expect(final.find((l) => l.startsWith('ENV ') && l.includes(name))).toContain(env);
			}
			expect(final).toContain(
				'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt'
			);
		});

		it('refuses text without a certificate', () => {
			expect(() => generateBuildFiles({ ...node, extraCaPem: 'not a certificate' })).toThrow(
				/no PEM certificate/
			);
		});
	});

	describe('build-time env vars', () => {
		const secret = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
		const input = { ...node, buildEnv: { STRIPE_KEY: secret, NPM_TOKEN: 'npm_abc' } };

		it('go into a context file that the install and build steps source', () => {
			const { dockerfile, extraFiles } = generateBuildFiles(input);
			expect(extraFiles[BUILD_ENV_CONTEXT_PATH]).toBe(
				`NPM_TOKEN='npm_abc'\nSTRIPE_KEY='${secret}'\n`
			);
			const { build } = stages(dockerfile);
			const runs = build.filter((l) => l.startsWith('RUN ['));
			const sourced = runs.filter((l) =>
				script(l).includes('set -a; . /slipway/build-env; set +a')
			);
			expect(sourced.map((l) => script(l).split('\n').at(-1))).toEqual(['npm ci', 'npm run build']);
			expect(build).toContain('COPY --chown=10001:10001 .slipway/build-env /slipway/build-env');
		});

		it('never appear in the Dockerfile, and the final stage never touches them', () => {
			const { dockerfile } = generateBuildFiles(input);
			expect(dockerfile).not.toContain(secret);
			expect(dockerfile).not.toContain('npm_abc');
			expect(dockerfile).not.toMatch(/^(ARG|ENV) .*(STRIPE_KEY|NPM_TOKEN)/m);
			const { final } = stages(dockerfile);
			expect(final.join('\n')).not.toContain('build-env');
			expect(final.filter((l) => l.startsWith('COPY --from=build'))).toEqual([
				'COPY --from=build --chown=10001:10001 /app /app'
			]);
		});

		it('that change every deployment are seen by the build step only, after the install layer', () => {
			const { dockerfile, extraFiles } = generateBuildFiles({
				...input,
				deploymentEnv: { SLIPWAY_GIT_COMMIT_SHA: 'abc123' }
			});
			expect(extraFiles['.slipway/deployment-env']).toBe("SLIPWAY_GIT_COMMIT_SHA='abc123'\n");
			const { build } = stages(dockerfile);
			const install = build.findIndex((l) => l.startsWith('RUN [') && script(l).endsWith('npm ci'));
			const copy = build.indexOf(
				'COPY --chown=10001:10001 .slipway/deployment-env /slipway/deployment-env'
			);
			expect(copy).toBeGreaterThan(install);
			expect(script(build[install])).not.toContain('deployment-env');
			expect(script(build.at(-1)!)).toContain(
				'set -a; . /slipway/build-env; . /slipway/deployment-env; set +a'
			);
		});

		it('leave no trace when there are none', () => {
			const { dockerfile, extraFiles } = generateBuildFiles({ ...node, buildEnv: {} });
			expect(dockerfile).not.toContain('build-env');
			expect(extraFiles[BUILD_ENV_CONTEXT_PATH]).toBeUndefined();
		});
	});

	describe('package managers', () => {
		it('enables pnpm through corepack as root, before switching to the app user', () => {
			const { build } = stages(
				generateBuildFiles({
					...node,
					installCommand: 'pnpm install --frozen-lockfile',
					installFiles: ['package.json', 'pnpm-lock.yaml']
				}).dockerfile
			);
			expect(build.slice(1, 3)).toEqual(['USER root', 'RUN corepack enable pnpm']);
			expect(build.indexOf('USER app')).toBeGreaterThan(2);
		});

		it('installs uv for Python projects that use it, with the runner virtualenv', () => {
			const { dockerfile } = generateBuildFiles({
				preset: 'python',
				installCommand: 'uv sync --frozen --no-dev',
				installFiles: ['pyproject.toml', 'uv.lock'],
				runnerImage: runnerImageFor('python')
			});
			expect(dockerfile).toContain('ln -s /opt/uv/bin/uv /usr/local/bin/uv');
			expect(dockerfile).toContain('UV_PROJECT_ENVIRONMENT=/app/.venv');
		});

		it('sets nothing up for npm, pip or go', () => {
			for (const input of [
				node,
				{ ...node, preset: 'python' as const, installCommand: 'pip install -r requirements.txt' },
				{ ...node, preset: 'go' as const, installCommand: 'go mod download' }
			]) {
				expect(generateBuildFiles(input).dockerfile).not.toContain('USER root');
			}
		});
	});

	it('gives the same output for the same input (the layer cache depends on it)', () => {
		const input = { ...node, extraCaPem: CERT('AAAA'), buildEnv: { B: '2', A: '1' } };
		expect(generateBuildFiles(input)).toEqual(generateBuildFiles({ ...input }));
		expect(
			generateBuildFiles({ ...node, installFiles: ['package-lock.json', 'package.json'] })
		).toEqual(generateBuildFiles(node));
	});

	it('writes a .dockerignore that keeps .git, node_modules and env files out', () => {
		const ignore = generateBuildFiles(node).extraFiles['.dockerignore'];
		expect(ignore.split('\n')).toEqual(
			expect.arrayContaining(['.git', '**/node_modules', '**/.env*', '!.slipway'])
		);
	});

	it('names the place of the Dockerfile inside the generated folder', () => {
		expect(GENERATED_DOCKERFILE_PATH).toBe('.slipway/Dockerfile');
	});

	describe('refuses input that would break or escape the Dockerfile', () => {
		it.each([
			['an image reference with a space', { runnerImage: 'slipway/runner-node:1 AS x' }],
			['an image reference with a newline', { runnerImage: 'node\nRUN id' }],
			['an install file outside the root', { installFiles: ['../package.json'] }],
			['an absolute install file', { installFiles: ['/etc/passwd'] }],
			['an install file pattern', { installFiles: ['*.json'] }],
			['an install file with a newline', { installFiles: ['a\nRUN id'] }],
			['an output directory outside the root', { preset: 'static', outputDir: '../dist' }],
			['a build env name that is not a name', { buildEnv: { 'A-B': 'x' } }],
			['a preset without a generated Dockerfile', { preset: 'dockerfile' }]
		])('%s', (_what, override) => {
			expect(() => generateBuildFiles({ ...node, ...override } as BuildFilesInput)).toThrow();
		});

		it('accepts registry hosts, ports, tags and digests', () => {
			for (const runnerImage of [
				'node:24-bookworm-slim',
				'registry.example.com:5000/team/runner-node:1.2',
				`slipway/runner-node@sha256:${'a'.repeat(64)}`
			]) {
				expect(() => generateBuildFiles({ ...node, runnerImage })).not.toThrow();
			}
		});
	});
});
