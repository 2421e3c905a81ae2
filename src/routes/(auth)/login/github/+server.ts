import { redirect } from '@sveltejs/kit';
import { loadGithubApp } from '$lib/server/github/app';
import { setFlash } from '$lib/server/http/flash';
import { getRuntime } from '$lib/server/runtime';
import { redirectTarget } from '../../redirect-target';
import { startGithubOAuth } from '$lib/server/auth/github-round-trip';
import type { RequestHandler } from './$types';

/** "Continue with GitHub" on the login and sign-up pages: off to GitHub with a fresh state. */
export const GET: RequestHandler = async ({ url, cookies, locals }) => {
	if (locals.user && locals.sessionId) redirect(303, '/');
	const { db, keyring } = getRuntime();
	const app = await loadGithubApp(db, keyring);
	if (!app) {
		setFlash(cookies, url, {
			tone: 'error',
			text: 'Signing in with GitHub is not set up on this instance. Log in with your email and password.'
		});
		redirect(303, '/login');
	}
	const redirectTo = redirectTarget(url.searchParams.get('redirectTo'));
	redirect(
		302,
		startGithubOAuth({ cookies, url, keyring, app, intent: { kind: 'login', redirectTo } })
	);
};
