import type { GithubAppCredentials } from './app.ts';
import { explainGithubError, installationClient } from './client.ts';
import { AppError } from '../errors.ts';

/** What the picker and the import need of a repository. */
export type InstallationRepo = {
	id: number;
	fullName: string;
	private: boolean;
	defaultBranch: string;
	htmlUrl: string;
	updatedAt: string | null;
};

const CACHE_MS = 60_000;
const MAX_CACHED = 200;
/** Per installation, briefly: typing in the search box must not refetch every page from GitHub. */
const cache = new Map<string, { at: number; repos: Promise<InstallationRepo[]> }>();

const cacheKey = (app: GithubAppCredentials, installationId: number) =>
	`${app.apiUrl}#${app.appId}#${installationId}`;

async function fetchAll(
	app: GithubAppCredentials,
	installationId: number
): Promise<InstallationRepo[]> {
	try {
		const repos = await installationClient(app, installationId).paginate(
			'GET /installation/repositories',
			{ per_page: 100 }
		);
		return repos.map((r) => ({
			id: r.id,
			fullName: r.full_name,
			private: r.private,
			defaultBranch: r.default_branch ?? 'main',
			htmlUrl: r.html_url,
			updatedAt: r.updated_at ?? null
		}));
	} catch (error) {
		throw explainGithubError(error, "list the installation's repositories");
	}
}

/** Every repository of an installation (all pages), from a 60 s cache unless `fresh`. */
export async function installationRepos(
	app: GithubAppCredentials,
	installationId: number,
	opts: { fresh?: boolean } = {}
): Promise<InstallationRepo[]> {
	const key = cacheKey(app, installationId);
	const hit = cache.get(key);
	if (!opts.fresh && hit && Date.now() - hit.at < CACHE_MS) return hit.repos;
	const repos = fetchAll(app, installationId);
	cache.set(key, { at: Date.now(), repos });
	// A failure is not remembered: the next keystroke asks GitHub again.
	repos.catch(() => {
		if (cache.get(key)?.repos === repos) cache.delete(key);
	});
	if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
	return repos;
}

/** One page of an installation's repositories whose full name contains `search` (any case). */
export async function searchInstallationRepos(
	app: GithubAppCredentials,
	args: { installationId: number; search?: string; page?: number; perPage?: number }
) {
	const perPage = args.perPage ?? 30;
	const page = Math.max(1, args.page ?? 1);
	const needle = (args.search ?? '').trim().toLowerCase();
	const all = await installationRepos(app, args.installationId);
	const matching = needle ? all.filter((r) => r.fullName.toLowerCase().includes(needle)) : all;
	const repositories = matching.slice((page - 1) * perPage, page * perPage);
	return {
		repositories,
		total: matching.length,
		page,
		perPage,
		hasMore: page * perPage < matching.length
	};
}

/** The repository `repoId` as the installation sees it right now, or a NOT_FOUND that says why. */
export async function requireInstallationRepo(
	app: GithubAppCredentials,
	args: { installationId: number; repoId: number }
): Promise<InstallationRepo> {
	const repos = await installationRepos(app, args.installationId, { fresh: true });
	const repo = repos.find((r) => r.id === args.repoId);
	if (!repo) {
		throw new AppError(
			'NOT_FOUND',
			'This repository is not (or no longer) accessible to the GitHub App installation. Grant the App access to it on GitHub, then try again.'
		);
	}
	return repo;
}
