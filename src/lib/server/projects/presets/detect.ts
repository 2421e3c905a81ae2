import { detectNodePreset } from './node.ts';
import { detectPythonPreset } from './python.ts';
import type { DetectedPreset, RepoFiles } from './types.ts';

const PYTHON_MARKERS = ['requirements.txt', 'pyproject.toml', 'uv.lock'];

function detectGoPreset(repo: RepoFiles): DetectedPreset {
	const reasons = ['go.mod: Go.'];
	let target = '.';
	// Many modules keep their entry point in cmd/<name>/ and no Go file at the root.
	if (!repo.files.some((f) => /^[^/]+\.go$/.test(f))) {
		const main = repo.files.find((f) => /^cmd\/[^/]+\/main\.go$/.test(f));
		if (main) {
			target = `./${main.slice(0, -'/main.go'.length)}`;
			reasons.push(`No Go files at the root: builds ${target}.`);
		}
	}
	return {
		preset: 'go',
		label: 'Go',
		installCommand: 'go mod download',
		buildCommand: `go build -o /app/server ${target}`,
		startCommand: '/app/server',
		installFiles: ['go.mod', 'go.sum'].filter((f) => repo.files.includes(f)),
		reasons
	};
}

function fixed(preset: 'dockerfile' | 'static', label: string, reason: string): DetectedPreset {
	return {
		preset,
		label,
		installCommand: null,
		buildCommand: null,
		startCommand: null,
		installFiles: [],
		reasons: [reason]
	};
}

/**
 * Guesses how to build the app from the files of its root directory, to pre-fill the project
 * settings; every command can be overridden. The first rule that applies wins: a Dockerfile says
 * the most about the author's intent, a lone index.html the least.
 */
export async function detectPreset(repo: RepoFiles): Promise<DetectedPreset> {
	const has = (file: string) => repo.files.includes(file);
	if (has('Dockerfile')) {
		return fixed('dockerfile', 'Dockerfile', 'Dockerfile: Slipway builds it as it is.');
	}
	if (has('package.json')) return detectNodePreset(repo);
	if (PYTHON_MARKERS.some(has)) return detectPythonPreset(repo);
	if (has('go.mod')) return detectGoPreset(repo);
	if (has('index.html')) {
		return fixed('static', 'Static site', 'index.html and no package.json: a static site.');
	}
	return {
		preset: null,
		label: 'Unknown',
		installCommand: null,
		buildCommand: null,
		startCommand: null,
		installFiles: [],
		reasons: [
			'No Dockerfile, package.json, requirements.txt, pyproject.toml, go.mod or index.html in the root directory: add a Dockerfile, pick a preset, or check the root directory.'
		]
	};
}
