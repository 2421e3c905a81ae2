import type { Cookies } from '@sveltejs/kit';
import { startRoundTrip } from './oauth-state.ts';
import type { GithubAppCredentials } from '../github/app.ts';
import { githubAuthorizationUrl } from '../github/oauth.ts';
import type { Keyring } from '../crypto/secret-box.ts';

/** Why the browser went to GitHub: to log in (then where to), or to connect a signed-in account. */
export type GithubIntent =
	{ kind: 'login'; redirectTo: string } | { kind: 'connect'; userId: string };

export const GITHUB_ROUND_TRIP = 'slipway_github_oauth';

/** Must be one of the App's callback URLs (the manifest registers exactly this one). */
export const githubRedirectUri = (url: URL) => `${url.origin}/login/github/callback`;

/** Sets the state cookie and returns GitHub's authorization URL to redirect to. */
export function startGithubOAuth(args: {
	cookies: Cookies;
	url: URL;
	keyring: Keyring;
	app: GithubAppCredentials;
	intent: GithubIntent;
}): string {
	const state = startRoundTrip({
		cookies: args.cookies,
		url: args.url,
		keyring: args.keyring,
		name: GITHUB_ROUND_TRIP,
		data: args.intent
	});
	return githubAuthorizationUrl(args.app, { redirectUri: githubRedirectUri(args.url), state });
}
