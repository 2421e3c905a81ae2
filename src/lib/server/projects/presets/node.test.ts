import { describe, expect, it } from 'vitest';
import { detectPreset } from './detect.ts';

function repo(files: Record<string, string>) {
	return { files: Object.keys(files), read: async (path: string) => files[path] ?? null };
}

const pkg = (value: object) => JSON.stringify(value);
const scripts = { build: 'vite build', start: 'vite preview --host' };

describe('Node.js detection', () => {
	it.each([
		['package-lock.json', 'npm', 'npm ci', 'npm run build', 'npm start'],
		[
			'pnpm-lock.yaml',
			'pnpm',
			'pnpm install --frozen-lockfile',
			'pnpm run build',
			'pnpm run start'
		],
		['yarn.lock', 'yarn', 'yarn install --frozen-lockfile', 'yarn run build', 'yarn run start'],
		['bun.lock', 'bun', 'bun install --frozen-lockfile', 'bun run build', 'bun run start'],
		['bun.lockb', 'bun', 'bun install --frozen-lockfile', 'bun run build', 'bun run start']
	])('picks the package manager from %s', async (lockfile, pm, install, build, start) => {
		const result = await detectPreset(repo({ 'package.json': pkg({ scripts }), [lockfile]: '' }));
		expect(result).toMatchObject({
			preset: 'node',
			label: `Node.js (${pm})`,
			installCommand: install,
			buildCommand: build,
			startCommand: start,
			installFiles: ['package.json', lockfile]
		});
		expect(result.reasons[0]).toBe(`package.json and ${lockfile}: Node.js with ${pm}.`);
	});

	it('runs a plain `node file` start script directly, so the app gets SIGTERM', async () => {
		const direct = await detectPreset(
			repo({
				'package.json': pkg({ scripts: { start: 'node server.js' } }),
				'package-lock.json': ''
			})
		);
		expect(direct.startCommand).toBe('node server.js');
		const shell = await detectPreset(
			repo({
				'package.json': pkg({ scripts: { start: 'node a.js && node b.js' } }),
				'package-lock.json': ''
			})
		);
		expect(shell.startCommand).toBe('npm start');
	});

	it('uses --immutable for Yarn 2 and later', async () => {
		const berry = await detectPreset(
			repo({ 'package.json': pkg({}), 'yarn.lock': '', '.yarnrc.yml': 'nodeLinker: node-modules' })
		);
		expect(berry.installCommand).toBe('yarn install --immutable');
		expect(berry.installFiles).toEqual(['package.json', 'yarn.lock', '.yarnrc.yml']);
		const declared = await detectPreset(
			repo({ 'package.json': pkg({ packageManager: 'yarn@4.5.0' }), 'yarn.lock': '' })
		);
		expect(declared.installCommand).toBe('yarn install --immutable');
	});

	it('falls back to npm install without a lockfile, and says to commit one', async () => {
		const result = await detectPreset(repo({ 'package.json': pkg({}), 'index.js': '' }));
		expect(result).toMatchObject({
			installCommand: 'npm install',
			buildCommand: null,
			startCommand: 'node index.js',
			installFiles: ['package.json']
		});
		expect(result.reasons[0]).toMatch(/Commit package-lock.json/);
	});

	it('follows "packageManager" when there is no lockfile', async () => {
		const result = await detectPreset(
			repo({ 'package.json': pkg({ packageManager: 'pnpm@9.1.0', scripts }) })
		);
		expect(result).toMatchObject({ label: 'Node.js (pnpm)', installCommand: 'pnpm install' });
	});

	it('warns about several lockfiles and uses the first', async () => {
		const result = await detectPreset(
			repo({ 'package.json': pkg({}), 'package-lock.json': '', 'yarn.lock': '' })
		);
		expect(result.installCommand).toBe('npm ci');
		expect(result.reasons).toContain('Also found yarn.lock: delete the lockfiles you do not use.');
	});

	it('starts from "main", then index.js, and says what to add otherwise', async () => {
		const main = await detectPreset(
			repo({ 'package.json': pkg({ main: 'dist/server.js' }), 'index.js': '' })
		);
		expect(main.startCommand).toBe('node dist/server.js');
		const none = await detectPreset(repo({ 'package.json': pkg({ scripts: { build: 'tsc' } }) }));
		expect(none.startCommand).toBeNull();
		expect(none.buildCommand).toBe('npm run build');
		expect(none.reasons.at(-1)).toMatch(/add a "start" script/);
	});

	it('starts a SvelteKit adapter-node app with node build', async () => {
		const result = await detectPreset(
			repo({
				'package.json': pkg({
					scripts: { build: 'vite build' },
					devDependencies: { '@sveltejs/adapter-node': '^5' }
				}),
				'package-lock.json': ''
			})
		);
		expect(result.startCommand).toBe('node build');
	});

	it('copies install configuration with the manifest so the dependency layer stays correct', async () => {
		const result = await detectPreset(
			repo({
				'package.json': pkg({}),
				'pnpm-lock.yaml': '',
				'.npmrc': '',
				'pnpm-workspace.yaml': ''
			})
		);
		expect(result.installFiles).toEqual([
			'package.json',
			'pnpm-lock.yaml',
			'.npmrc',
			'pnpm-workspace.yaml'
		]);
	});

	it('still detects Node when package.json is broken, and says so', async () => {
		const result = await detectPreset(repo({ 'package.json': '{ "scripts": ', 'index.js': '' }));
		expect(result.preset).toBe('node');
		expect(result.reasons[0]).toMatch(/not valid JSON/);
	});
});
