import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { RepoFiles } from '../../projects/presets/types.ts';

const SKIP = new Set([
	'.git',
	'node_modules',
	'.venv',
	'venv',
	'__pycache__',
	'vendor',
	'dist',
	'build'
]);

/** The files detection looks at: a few levels deep, without dependency folders. */
export async function listRepoFiles(
	root: string,
	maxDepth = 3,
	maxFiles = 5000
): Promise<RepoFiles> {
	const files: string[] = [];
	const walk = async (dir: string, depth: number) => {
		for (const entry of await readdir(dir, { withFileTypes: true })) {
			if (files.length >= maxFiles) return;
			const path = join(dir, entry.name);
			if (entry.isDirectory()) {
				if (!SKIP.has(entry.name) && depth < maxDepth) await walk(path, depth + 1);
			} else if (entry.isFile()) files.push(relative(root, path));
		}
	};
	await walk(root, 0);
	return {
		files,
		read: async (path) => {
			try {
				const full = join(root, path);
				// Symbolic links may point at host files: detection reads regular files only.
				const info = await lstat(full);
				if (!info.isFile() || info.size > 1_000_000) return null;
				return await readFile(full, 'utf8');
			} catch {
				return null;
			}
		}
	};
}
