import type { DetectedPreset, RepoFiles } from './types.ts';

type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** In order of preference when a repository has several (it should not). */
const LOCKFILES: readonly { file: string; pm: PackageManager }[] = [
	{ file: 'package-lock.json', pm: 'npm' },
	{ file: 'npm-shrinkwrap.json', pm: 'npm' },
	{ file: 'pnpm-lock.yaml', pm: 'pnpm' },
	{ file: 'yarn.lock', pm: 'yarn' },
	{ file: 'bun.lock', pm: 'bun' },
	{ file: 'bun.lockb', pm: 'bun' }
];

/** Files besides package.json and the lockfile that change what an install does. */
const INSTALL_CONFIG = ['.npmrc', '.yarnrc', '.yarnrc.yml', 'pnpm-workspace.yaml', 'bunfig.toml'];

type PackageJson = {
	main?: unknown;
	scripts?: Record<string, unknown>;
	packageManager?: unknown;
	dependencies?: Record<string, unknown>;
	devDependencies?: Record<string, unknown>;
};

function frozenInstall(pm: PackageManager, yarnBerry: boolean): string {
	if (pm === 'npm') return 'npm ci';
	// Yarn 2+ renamed --frozen-lockfile to --immutable.
	if (pm === 'yarn' && yarnBerry) return 'yarn install --immutable';
	return `${pm} install --frozen-lockfile`;
}

function findStart(pkg: PackageJson, pm: PackageManager, has: (f: string) => boolean) {
	const script = pkg.scripts?.start;
	// `node server.js` run through npm leaves npm and a shell in front of the app: SIGTERM never
	// reaches it and every start costs npm's own start-up. A plain node command runs as is.
	if (typeof script === 'string' && /^node( [\w./@=-]+)+$/.test(script.trim())) {
		return { command: script.trim(), reason: 'Start: the "start" script, run directly with node.' };
	}
	if (typeof script === 'string') {
		return {
			command: pm === 'npm' ? 'npm start' : `${pm} run start`,
			reason: 'Start: the "start" script.'
		};
	}
	const deps = { ...pkg.dependencies, ...pkg.devDependencies };
	if ('@sveltejs/adapter-node' in deps) {
		return { command: 'node build', reason: 'Start: SvelteKit with adapter-node serves build/.' };
	}
	if (typeof pkg.main === 'string' && pkg.main.trim() !== '') {
		return { command: `node ${pkg.main.trim()}`, reason: 'Start: the "main" field.' };
	}
	if (has('index.js')) return { command: 'node index.js', reason: 'Start: index.js.' };
	return {
		command: null,
		reason:
			'No "start" script, "main" field or index.js: add a "start" script to package.json or enter a start command.'
	};
}

export async function detectNodePreset(repo: RepoFiles): Promise<DetectedPreset> {
	const has = (file: string) => repo.files.includes(file);
	const reasons: string[] = [];
	let pkg: PackageJson = {};
	try {
		const parsed: unknown = JSON.parse((await repo.read('package.json')) ?? '{}');
		if (parsed && typeof parsed === 'object') pkg = parsed as PackageJson;
	} catch {
		reasons.push('package.json is not valid JSON: fix it, or the install will fail.');
	}

	const lockfiles = LOCKFILES.filter(({ file }) => has(file));
	const declared = /^(npm|pnpm|yarn|bun)@(\d+)/.exec(String(pkg.packageManager ?? ''));
	const pm: PackageManager = lockfiles[0]?.pm ?? (declared?.[1] as PackageManager) ?? 'npm';
	const yarnBerry = has('.yarnrc.yml') || (declared?.[1] === 'yarn' && Number(declared[2]) >= 2);

	let installCommand: string;
	if (lockfiles.length > 0) {
		installCommand = frozenInstall(pm, yarnBerry);
		reasons.push(`package.json and ${lockfiles[0].file}: Node.js with ${pm}.`);
		if (lockfiles.length > 1) {
			const others = lockfiles.slice(1).map(({ file }) => file);
			reasons.push(`Also found ${others.join(', ')}: delete the lockfiles you do not use.`);
		}
	} else {
		installCommand = `${pm} install`;
		reasons.push(
			declared
				? `package.json declares ${pm} ("packageManager") but has no lockfile: commit one so every deploy installs the same versions.`
				: 'package.json without a lockfile: Node.js with npm. Commit package-lock.json so every deploy installs the same versions.'
		);
	}

	const hasBuild = typeof pkg.scripts?.build === 'string';
	if (hasBuild) reasons.push('Build: the "build" script.');
	const start = findStart(pkg, pm, has);
	reasons.push(start.reason);

	return {
		preset: 'node',
		label: `Node.js (${pm})`,
		installCommand,
		buildCommand: hasBuild ? `${pm} run build` : null,
		startCommand: start.command,
		installFiles: [
			'package.json',
			...lockfiles.map(({ file }) => file),
			...INSTALL_CONFIG.filter(has)
		],
		reasons
	};
}
