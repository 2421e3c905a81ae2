import { describe, expect, it } from 'vitest';
import { CERT, node, script, stages } from './build-files.fixtures.ts';
import {
	generateBuildFiles,
	GENERATED_DOCKERFILE_PATH,
	type BuildFilesInput
} from './generate-build-files.ts';
import { runnerImageFor } from './runner-images.ts';

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
