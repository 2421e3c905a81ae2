import { describe, expect, it } from 'vitest';
import { getPreset, isPresetId, PRESET_IDS, PRESETS } from './catalog.ts';
import { detectPreset } from './detect.ts';

function repo(files: Record<string, string>) {
	return { files: Object.keys(files), read: async (path: string) => files[path] ?? null };
}

describe('detectPreset', () => {
	it('builds a Dockerfile as it is, before anything else', async () => {
		const result = await detectPreset(
			repo({ Dockerfile: 'FROM scratch', 'package.json': '{}', 'go.mod': '', 'index.html': '' })
		);
		expect(result).toEqual({
			preset: 'dockerfile',
			label: 'Dockerfile',
			installCommand: null,
			buildCommand: null,
			startCommand: null,
			installFiles: [],
			reasons: ['Dockerfile: Slipway builds it as it is.']
		});
	});

	it('prefers package.json over Python and Go markers', async () => {
		expect(
			(await detectPreset(repo({ 'package.json': '{}', 'requirements.txt': '', 'go.mod': '' })))
				.preset
		).toBe('node');
		expect((await detectPreset(repo({ 'requirements.txt': '', 'go.mod': '' }))).preset).toBe(
			'python'
		);
	});

	it('builds a Go module into /app/server', async () => {
		const result = await detectPreset(repo({ 'go.mod': 'module x', 'go.sum': '', 'main.go': '' }));
		expect(result).toMatchObject({
			preset: 'go',
			installCommand: 'go mod download',
			buildCommand: 'go build -o /app/server .',
			startCommand: '/app/server',
			installFiles: ['go.mod', 'go.sum'],
			reasons: ['go.mod: Go.']
		});
	});

	it('builds ./cmd/<name> when the root has no Go files', async () => {
		const result = await detectPreset(
			repo({ 'go.mod': 'module x', 'cmd/api/main.go': '', 'internal/db.go': '' })
		);
		expect(result.buildCommand).toBe('go build -o /app/server ./cmd/api');
		expect(result.installFiles).toEqual(['go.mod']);
	});

	it('serves a root index.html without package.json as a static site', async () => {
		const result = await detectPreset(repo({ 'index.html': '<h1>hi</h1>', 'style.css': '' }));
		expect(result).toMatchObject({ preset: 'static', label: 'Static site', startCommand: null });
		expect((await detectPreset(repo({ 'docs/index.html': '' }))).preset).toBeNull();
	});

	it('tells the user what to do when nothing is recognised', async () => {
		const result = await detectPreset(repo({ 'README.md': '', 'src/main.rs': '' }));
		expect(result.preset).toBeNull();
		expect(result.reasons[0]).toMatch(
			/add a Dockerfile, pick a preset, or check the root directory/
		);
	});

	it('only looks at the root of the root directory', async () => {
		expect(
			(await detectPreset(repo({ 'sub/Dockerfile': '', 'sub/package.json': '{}' }))).preset
		).toBeNull();
	});
});

describe('preset catalog', () => {
	it('lists every preset once, with a runner image for each generated build', () => {
		expect(PRESETS.map((p) => p.id)).toEqual([...PRESET_IDS]);
		expect(PRESETS.filter((p) => p.runnerImage).map((p) => p.runnerImage)).toEqual([
			'slipway/runner-node',
			'slipway/runner-python',
			'slipway/runner-go',
			'slipway/runner-static'
		]);
		expect(getPreset('dockerfile').runnerImage).toBeNull();
		expect(getPreset('go').startCommand).toBe('/app/server');
	});

	it('recognises stored preset ids', () => {
		expect(isPresetId('python')).toBe(true);
		expect(isPresetId('rust')).toBe(false);
	});
});
