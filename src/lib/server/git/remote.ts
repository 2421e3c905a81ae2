import { mkdir } from 'node:fs/promises';
import { AppError } from '../errors.ts';
import { explainGitFailure } from './explain.ts';
import { GitCommandError, runGit, type GitAccess } from './run-git.ts';

function unavailable(error: unknown, url: string, ref?: string): AppError {
	if (error instanceof GitCommandError) {
		return new AppError('INVALID', explainGitFailure({ stderr: error.stderr, url, ref }), {
			cause: error
		});
	}
	return new AppError('UNAVAILABLE', `git could not run: ${(error as Error).message}`);
}

/**
 * Asks the remote for its default branch and, optionally, the head of one branch. Used to check
 * a repository exists before a project is created, and to resolve a branch to a commit.
 */
export async function lsRemote(args: {
	url: string;
	access: GitAccess;
	branch?: string;
	timeoutMs?: number;
}): Promise<{ defaultBranch: string | null; branchSha: string | null }> {
	let out: string;
	try {
		await mkdir(args.access.homeDir, { recursive: true });
		out = await runGit({
			argv: [
				'ls-remote',
				'--symref',
				args.url,
				'HEAD',
				...(args.branch ? [`refs/heads/${args.branch}`] : [])
			],
			access: args.access,
			timeoutMs: args.timeoutMs ?? 20_000
		});
	} catch (error) {
		throw unavailable(error, args.url, args.branch);
	}
	const defaultBranch = out.match(/^ref: refs\/heads\/(\S+)\s+HEAD$/m)?.[1] ?? null;
	const branchSha = args.branch
		? (out.match(new RegExp(`^([0-9a-f]{40})\\s+refs/heads/${escape(args.branch)}$`, 'm'))?.[1] ??
			null)
		: null;
	return { defaultBranch, branchSha };
}

function escape(text: string) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Shallow-fetches exactly one commit into `dir` and checks it out. `ref` is a branch name or a
 * full commit SHA; with a branch, the commit is whatever the branch points at right now.
 */
export async function fetchSource(args: {
	url: string;
	ref: { branch: string; sha?: string | null };
	dir: string;
	access: GitAccess;
	signal?: AbortSignal;
	timeoutMs?: number;
}): Promise<{ sha: string; message: string }> {
	const run = (argv: string[]) =>
		runGit({
			argv,
			cwd: args.dir,
			access: args.access,
			signal: args.signal,
			timeoutMs: args.timeoutMs ?? 300_000
		});
	const want = args.ref.sha ?? `refs/heads/${args.ref.branch}`;
	try {
		await mkdir(args.access.homeDir, { recursive: true });
		await mkdir(args.dir, { recursive: true });
		await run(['init', '--quiet', '--initial-branch=slipway']);
		// Let local/file remotes serve a commit by id, as GitHub does.
		await run([
			'-c',
			'uploadpack.allowAnySHA1InWant=true',
			'fetch',
			'--quiet',
			'--depth=1',
			'--no-tags',
			args.url,
			want
		]);
		await run(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', 'FETCH_HEAD']);
		const log = await run(['log', '-1', '--format=%H%n%B']);
		const [sha, ...message] = log.split('\n');
		return { sha: sha.trim(), message: message.join('\n').trim() };
	} catch (error) {
		if (args.signal?.aborted) throw new AppError('CONFLICT', 'Fetching the source was canceled.');
		throw unavailable(error, args.url, args.ref.sha ?? args.ref.branch);
	}
}
