import type { Keyring } from '../crypto/secret-box.ts';
import type { Db } from '../db/client.ts';
import type { GitAccess } from '../git/run-git.ts';
import { requireGithubApp } from './app.ts';
import { cloneUrl, githubGitAccess } from './clone.ts';
import { requireTeamInstallation } from './installations.ts';
import { requireInstallationRepo } from './repositories.ts';

/**
 * A repository picked from one of the team's installations, checked against GitHub, with a
 * fresh repo-scoped token for git (detection and the first ls-remote; deployments get their own).
 */
export type GithubSource = {
	installationId: number;
	repoId: number;
	fullName: string;
	url: string;
	defaultBranch: string;
	access: Pick<GitAccess, 'httpAuthorization' | 'allowHttp'>;
};

export async function resolveGithubSource(
	db: Db,
	keyring: Keyring,
	args: { teamId: string; installationId: number; repoId: number }
): Promise<GithubSource> {
	await requireTeamInstallation(db, args.teamId, args.installationId);
	const app = await requireGithubApp(db, keyring);
	const repo = await requireInstallationRepo(app, args);
	return {
		installationId: args.installationId,
		repoId: repo.id,
		fullName: repo.fullName,
		url: cloneUrl(app, repo.fullName),
		defaultBranch: repo.defaultBranch,
		access: await githubGitAccess(app, { installationId: args.installationId, repoId: repo.id })
	};
}
