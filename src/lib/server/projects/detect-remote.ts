import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listRepoFiles } from '../deployments/pipeline/repo-files.ts';
import { validateBranchName } from '../environments/branch-match.ts';
import { fetchSource, lsRemote } from '../git/remote.ts';
import { parseRepositoryUrl, type RepositorySource } from '../git/source-url.ts';
import type { GithubSource } from '../github/import.ts';
import type { ProjectContext } from './create.ts';
import { detectPreset } from './presets/detect.ts';
import { normalizeRootDirectory } from './root-directory.ts';
import { resolveInsideCheckout } from './safe-path.ts';

/**
 * Looks at a repository before a project exists: its default branch and the preset its files
 * suggest, so the form can be pre-filled. SSH repositories need the deploy key first, so they
 * are only classified.
 */
export async function detectRepository(
	ctx: ProjectContext,
	input: { repoUrl: string; branch?: string; rootDirectory: string },
	/** A repository of a GitHub App installation: cloned with its installation token. */
	github?: GithubSource
) {
	const source: Omit<RepositorySource, 'kind'> & { kind: RepositorySource['kind'] | 'github' } =
		github
			? { kind: 'github', url: github.url, displayName: github.fullName }
			: parseRepositoryUrl({ url: input.repoUrl, allowLocal: ctx.allowLocalGit });
	const rootDirectory = normalizeRootDirectory(input.rootDirectory);
	if (source.kind === 'ssh') {
		return { source, defaultBranch: null, detected: null, needsDeployKey: true };
	}
	const access = { allowLocal: ctx.allowLocalGit, homeDir: ctx.gitHome, ...github?.access };
	const remote = await lsRemote({ url: source.url, access });
	const branch = input.branch ? validateBranchName(input.branch) : (remote.defaultBranch ?? 'main');
	const dir = await mkdtemp(join(tmpdir(), 'slipway-detect-'));
	try {
		await fetchSource({ url: source.url, ref: { branch }, dir, access, timeoutMs: 60_000 });
		const root = await resolveInsideCheckout(dir, rootDirectory, `on ${branch}`);
		const detected = await detectPreset(await listRepoFiles(root));
		return { source, defaultBranch: remote.defaultBranch, branch, detected, needsDeployKey: false };
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}
