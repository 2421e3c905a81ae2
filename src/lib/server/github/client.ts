import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { AppError } from '../errors.ts';
import type { GithubAppCredentials } from './app.ts';

/**
 * The only place Octokit clients are made. Every request goes to the App's own API URL
 * (github.com or a GitHub Enterprise Server), with a deadline and no retries of our own: callers
 * that must retry are graphile-worker tasks, which back off.
 */
const USER_AGENT = 'slipway';
const TIMEOUT_MS = 15_000;

/** Every call gets its own deadline (a signal made once would expire for a long-lived client). */
const fetchWithDeadline: typeof fetch = (input, init) =>
	fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(TIMEOUT_MS) });

function base(app: Pick<GithubAppCredentials, 'apiUrl'>) {
	return {
		baseUrl: app.apiUrl,
		userAgent: USER_AGENT,
		request: { fetch: fetchWithDeadline },
		log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }
	};
}

/** Authenticated as the App itself (JWT): installations, manifest-independent app calls. */
export function appClient(app: GithubAppCredentials): Octokit {
	return new Octokit({
		...base(app),
		authStrategy: createAppAuth,
		auth: { appId: app.appId, privateKey: app.privateKey }
	});
}

/** Authenticated as one installation (token made and cached by @octokit/auth-app). */
export function installationClient(app: GithubAppCredentials, installationId: number): Octokit {
	return new Octokit({
		...base(app),
		authStrategy: createAppAuth,
		auth: { appId: app.appId, privateKey: app.privateKey, installationId }
	});
}

/** Authenticated as a user (OAuth access token from sign-in or the install callback). */
export function userClient(app: Pick<GithubAppCredentials, 'apiUrl'>, token: string): Octokit {
	return new Octokit({ ...base(app), auth: token });
}

/** Anonymous, for the manifest conversion (the code itself is the credential). */
export function anonymousClient(apiUrl: string): Octokit {
	return new Octokit(base({ apiUrl }));
}

/**
 * A short-lived (1 h) installation token that can only read the contents of one repository:
 * what a clone needs and nothing more. It is handed to git through its environment, never argv.
 */
export async function cloneToken(
	app: GithubAppCredentials,
	args: { installationId: number; repoId: number }
): Promise<string> {
	try {
		const result = await appClient(app).request(
			'POST /app/installations/{installation_id}/access_tokens',
			{
				installation_id: args.installationId,
				repository_ids: [args.repoId],
				permissions: { contents: 'read', metadata: 'read' }
			}
		);
		return result.data.token;
	} catch (error) {
		throw explainGithubError(error, 'get a token to clone the repository');
	}
}

/** Turns an Octokit failure into a message that says what to do. */
export function explainGithubError(error: unknown, doing: string): AppError {
	const status = (error as { status?: number }).status;
	const message = (error as Error).message ?? String(error);
	if (status === 401) {
		return new AppError(
			'UNAVAILABLE',
			`GitHub refused the App's credentials while trying to ${doing}: check the GitHub App under Admin → GitHub.`,
			{ cause: error }
		);
	}
	if (status === 403 || status === 404) {
		return new AppError(
			'UNAVAILABLE',
			`GitHub did not let Slipway ${doing} (${status}): the App may have been uninstalled or lost access to the repository. Reinstall it or grant it the repository on GitHub.`,
			{ cause: error }
		);
	}
	return new AppError(
		'UNAVAILABLE',
		`GitHub could not be reached to ${doing}${status ? ` (HTTP ${status})` : ''}: ${message.slice(0, 200)}. Slipway retries.`,
		{ cause: error }
	);
}
