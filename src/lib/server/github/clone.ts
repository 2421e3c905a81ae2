import type { GitAccess } from '../git/run-git.ts';
import type { GithubAppCredentials } from './app.ts';
import { cloneToken } from './client.ts';

/** `https://github.com/owner/name.git` for a repository on the App's GitHub. */
export function cloneUrl(app: Pick<GithubAppCredentials, 'webUrl'>, fullName: string): string {
	return `${app.webUrl}/${fullName}.git`;
}

/**
 * What git needs to fetch one repository: a fresh installation token limited to reading that
 * repository, as an HTTP header in git's environment. The token is never written to the
 * workspace, the image, the container or a log line, and expires within the hour.
 */
export async function githubGitAccess(
	app: GithubAppCredentials,
	repo: { installationId: number; repoId: number }
): Promise<Pick<GitAccess, 'httpAuthorization' | 'allowHttp'>> {
	const token = await cloneToken(app, repo);
	return {
		httpAuthorization: `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`,
		allowHttp: new URL(app.webUrl).protocol === 'http:'
	};
}
