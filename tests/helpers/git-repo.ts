import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Path → content; `null` deletes the file in that commit; `{ symlink }` commits a symbolic link. */
export type FileChanges = Record<string, string | null | { symlink: string }>;

export type GitRepo = {
	/** Absolute path of the working tree (what a "local repository" URL points at). */
	path: string;
	/** The same repository as a file:// URL. */
	fileUrl: string;
	/** The branch HEAD points at: the default branch a remote reports. */
	branch: string;
	/** SHAs of the commits made on `branch` through this helper, oldest first. */
	commits: string[];
	/** Commits `files` onto `branch` (created from the default branch when missing); returns the SHA. */
	commit: (args: { files: FileChanges; message?: string; branch?: string }) => Promise<string>;
	/** The commit a branch points at now. */
	headOf: (branch?: string) => Promise<string>;
	remove: () => Promise<void>;
};

// Git must not read the developer's ~/.gitconfig (signing, hooks, templates would leak in).
const gitEnv = () => ({
	PATH: process.env.PATH,
	GIT_CONFIG_NOSYSTEM: '1',
	GIT_CONFIG_GLOBAL: '/dev/null',
	GIT_TERMINAL_PROMPT: '0'
});

async function git(cwd: string, argv: string[]): Promise<string> {
	const { stdout } = await run('git', argv, { cwd, env: gitEnv() });
	return stdout.trim();
}

async function applyChanges(root: string, files: FileChanges) {
	for (const [path, content] of Object.entries(files)) {
		const full = join(root, path);
		if (content === null) {
			await rm(full, { force: true });
		} else if (typeof content === 'object') {
			await mkdir(dirname(full), { recursive: true });
			await rm(full, { force: true });
			await symlink(content.symlink, full);
		} else {
			await mkdir(dirname(full), { recursive: true });
			await writeFile(full, content);
		}
	}
}

const created = new Set<GitRepo>();

/**
 * A temporary Git repository on disk with `files` as its first commit on `branch`. Each repository
 * has its own user.name/user.email, so commits work on a machine without a global git identity.
 */
export async function createGitRepo(
	args: { files?: FileChanges; branch?: string; message?: string; name?: string } = {}
): Promise<GitRepo> {
	const branch = args.branch ?? 'main';
	const parent = await mkdtemp(join(tmpdir(), 'slipway-repo-'));
	const path = join(parent, args.name ?? 'app');
	await mkdir(path);
	await git(path, ['init', '--quiet', `--initial-branch=${branch}`]);
	await git(path, ['config', 'user.name', 'Slipway Tests']);
	await git(path, ['config', 'user.email', 'tests@slipway.invalid']);
	await git(path, ['config', 'commit.gpgsign', 'false']);

	const current = async () => git(path, ['symbolic-ref', '--short', 'HEAD']);
	const repo: GitRepo = {
		path,
		fileUrl: pathToFileURL(path).href,
		branch,
		commits: [],
		async commit({ files, message = 'Update', branch: target = branch }) {
			const exists = await git(path, ['branch', '--list', target]);
			if ((await current()) !== target) {
				await git(path, ['checkout', '--quiet', ...(exists ? [] : ['-b']), target]);
			}
			try {
				await applyChanges(path, files);
				await git(path, ['add', '--all']);
				await git(path, ['commit', '--quiet', '--allow-empty', '-m', message]);
				const sha = await git(path, ['rev-parse', 'HEAD']);
				if (target === branch) repo.commits.push(sha);
				return sha;
			} finally {
				// HEAD stays on the default branch, which is what ls-remote reports.
				if ((await current()) !== branch) await git(path, ['checkout', '--quiet', branch]);
			}
		},
		headOf: (name = branch) => git(path, ['rev-parse', `refs/heads/${name}`]),
		async remove() {
			created.delete(repo);
			await rm(parent, { recursive: true, force: true });
		}
	};
	created.add(repo);
	await repo.commit({
		files: args.files ?? { 'README.md': '# app\n' },
		message: args.message ?? 'Initial commit'
	});
	return repo;
}

/** Removes every repository this helper created (call from afterAll). */
export async function removeGitRepos(): Promise<void> {
	await Promise.all([...created].map((repo) => repo.remove()));
}

/** Small apps of each kind that detection should recognise. */
export const sampleApps = {
	node: {
		'package.json': JSON.stringify(
			{
				name: 'hello',
				version: '1.0.0',
				scripts: { start: 'node server.js' },
				dependencies: { 'left-pad': '1.3.0' }
			},
			null,
			2
		),
		'package-lock.json': JSON.stringify(
			{
				name: 'hello',
				version: '1.0.0',
				lockfileVersion: 3,
				requires: true,
				packages: {
					'': { name: 'hello', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } },
					'node_modules/left-pad': {
						version: '1.3.0',
						resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz',
						license: 'WTFPL'
					}
				}
			},
			null,
			2
		),
		'server.js':
			"require('http').createServer((q, s) => s.end('hello ' + process.env.GREETING)).listen(process.env.PORT);\n"
	},
	python: {
		'requirements.txt': 'flask==3.0.3\n',
		'app.py':
			'from flask import Flask\napp = Flask(__name__)\n\n@app.get("/")\ndef index():\n    return "hello"\n'
	},
	static: {
		'index.html': '<!doctype html><title>hello</title><h1>hello</h1>\n',
		'style.css': 'h1 { color: teal; }\n'
	},
	dockerfile: {
		Dockerfile:
			'FROM busybox\nCOPY index.html /www/\nCMD ["httpd", "-f", "-p", "8000", "-h", "/www"]\n',
		'index.html': 'hello\n'
	}
} satisfies Record<string, FileChanges>;
