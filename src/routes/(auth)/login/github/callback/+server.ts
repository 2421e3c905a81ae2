import { redirect } from '@sveltejs/kit';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { connectGithub, signInWithGithub } from '$lib/server/auth/github-login';
import { finishRoundTrip } from '$lib/server/auth/oauth-state';
import { AppError } from '$lib/server/errors';
import { loadGithubApp } from '$lib/server/github/app';
import { eventClientAddress } from '$lib/server/http/client-address';
import { setFlash } from '$lib/server/http/flash';
import { logger } from '$lib/server/log';
import { getRuntime } from '$lib/server/runtime';
import {
	GITHUB_ROUND_TRIP,
	githubRedirectUri,
	type GithubIntent
} from '$lib/server/auth/github-round-trip';
import type { RequestHandler } from './$types';

/**
 * Where GitHub sends the browser back after "Continue with GitHub" or "Connect GitHub".
 * Every failure ends on a page that says what happened; nothing changes unless the state matches.
 */
export const GET: RequestHandler = async (event) => {
	const { url, cookies, locals } = event;
	// With "request user authorization during installation", GitHub sends installs here, not to
	// the setup URL: hand them to the install callback unchanged.
	if (url.searchParams.has('installation_id') || url.searchParams.has('setup_action')) {
		redirect(303, `/api/github/setup${url.search}`);
	}
	const { db, keyring, config } = getRuntime();
	const intent = finishRoundTrip<GithubIntent>({
		cookies,
		url,
		keyring,
		name: GITHUB_ROUND_TRIP,
		state: url.searchParams.get('state')
	});
	const back = intent?.kind === 'connect' ? '/account' : '/login';
	const fail = (text: string): never => {
		setFlash(cookies, url, { tone: 'error', text });
		redirect(303, back);
	};
	if (!intent) {
		fail(
			'That GitHub sign-in expired or was started in another browser, so nothing was changed. Try again.'
		);
	}
	if (url.searchParams.get('error')) {
		fail('GitHub sign-in was cancelled on GitHub. Nothing was changed.');
	}
	const code = url.searchParams.get('code');
	if (!code) fail('GitHub sent no sign-in code back. Try again.');
	const app = await loadGithubApp(db, keyring);
	if (!app) fail('Signing in with GitHub is not set up on this instance any more.');
	const common = {
		db,
		config,
		app: app!,
		code: code!,
		redirectUri: githubRedirectUri(url),
		ip: eventClientAddress(event, config.SLIPWAY_TRUSTED_PROXIES),
		userAgent: event.request.headers.get('user-agent') ?? ''
	};

	if (intent!.kind === 'connect') {
		if (locals.user?.id !== intent!.userId || !locals.sessionId) {
			fail('Log in again to connect GitHub to your account.');
		}
		let login: string;
		try {
			({ login } = await connectGithub({ ...common, userId: intent!.userId }));
		} catch (error) {
			return fail(explain(error));
		}
		setFlash(cookies, url, { tone: 'success', text: `GitHub account ${login} connected.` });
		redirect(303, '/account');
	}

	let result;
	try {
		result = await signInWithGithub(common);
	} catch (error) {
		return fail(explain(error));
	}
	setSessionCookie(cookies, url, result.token, result.session.expiresAt);
	redirect(303, intent!.kind === 'login' ? intent!.redirectTo : '/');
};

function explain(error: unknown): string {
	if (error instanceof AppError) {
		if (error.code === 'UNAVAILABLE') {
			// The cause's message only: a request error may carry headers.
			logger().warn({ reason: (error.cause as Error | undefined)?.message }, error.message);
		}
		return error.message;
	}
	logger().error({ err: error }, 'GitHub sign-in failed');
	return 'Signing in with GitHub failed on our side. Try again; if it keeps failing, the server logs say why.';
}
