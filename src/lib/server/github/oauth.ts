import { OAuth2Client } from 'arctic';
import { AppError } from '../errors.ts';
import type { GithubAppCredentials } from './app.ts';
import { userClient } from './client.ts';

/**
 * Sign in with GitHub through the instance's App (its client id and secret). Endpoints are built
 * from the App's web URL: arctic's GitHub class knows only github.com, and an Enterprise Server
 * has its own.
 */
type OAuthApp = Pick<GithubAppCredentials, 'webUrl' | 'apiUrl' | 'clientId' | 'clientSecret'>;

const client = (app: OAuthApp, redirectUri: string) =>
	new OAuth2Client(app.clientId, app.clientSecret, redirectUri);

export function githubAuthorizationUrl(
	app: OAuthApp,
	args: { redirectUri: string; state: string }
): string {
	// A GitHub App's user token carries the App's permissions; OAuth scopes do not apply.
	return client(app, args.redirectUri)
		.createAuthorizationURL(`${app.webUrl}/login/oauth/authorize`, args.state, [])
		.toString();
}

/** The user access token for the code GitHub sent back to the callback. */
export async function exchangeGithubCode(
	app: OAuthApp,
	args: { redirectUri: string; code: string }
): Promise<string> {
	let data: Record<string, unknown>;
	try {
		const tokens = await client(app, args.redirectUri).validateAuthorizationCode(
			`${app.webUrl}/login/oauth/access_token`,
			args.code,
			null
		);
		data = tokens.data as Record<string, unknown>;
	} catch (error) {
		throw new AppError(
			'UNAVAILABLE',
			'GitHub could not be reached to finish signing in. Try again in a moment.',
			{ cause: error }
		);
	}
	// GitHub answers 200 with an `error` field for a bad or expired code.
	if (typeof data.access_token !== 'string') {
		const reason = data.error === 'bad_verification_code' ? 'expired or was already used' : null;
		throw new AppError(
			'INVALID',
			reason
				? `GitHub's sign-in code ${reason}. Start again with "Continue with GitHub".`
				: `GitHub refused the sign-in (${String(data.error ?? 'no token')}). Start again, or ask an admin to check the GitHub App under Admin → GitHub.`
		);
	}
	return data.access_token;
}

export type GithubIdentity = {
	id: number;
	login: string;
	name: string | null;
	/** GitHub's primary address, and whether GitHub verified it. */
	primaryEmail: { email: string; verified: boolean } | null;
	/** Every address on the account, verified or not (lower-case). */
	emails: { email: string; verified: boolean }[];
};

/** Who the token belongs to: `GET /user` and `GET /user/emails`. */
export async function fetchGithubIdentity(app: OAuthApp, token: string): Promise<GithubIdentity> {
	const octokit = userClient(app, token);
	try {
		const [{ data: user }, { data: emails }] = await Promise.all([
			octokit.request('GET /user'),
			octokit.request('GET /user/emails', { per_page: 100 })
		]);
		const list = emails.map((e) => ({ email: e.email.toLowerCase(), verified: e.verified }));
		const primary = emails.find((e) => e.primary);
		return {
			id: Number(user.id),
			login: user.login,
			name: user.name ?? null,
			primaryEmail: primary
				? { email: primary.email.toLowerCase(), verified: primary.verified }
				: null,
			emails: list
		};
	} catch (error) {
		const status = (error as { status?: number }).status;
		throw new AppError(
			'UNAVAILABLE',
			status === 403 || status === 404
				? 'GitHub did not share your email addresses with Slipway. Ask an admin to give the GitHub App the "Email addresses: read" permission.'
				: 'GitHub could not be reached to finish signing in. Try again in a moment.',
			{ cause: error }
		);
	}
}
