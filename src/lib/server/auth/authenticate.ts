import type { Cookies } from '@sveltejs/kit';
import { config } from '../config.ts';
import { getRuntime } from '../runtime.ts';
import { validateApiToken } from './api-tokens.ts';
import { deleteSessionCookie, setSessionCookie } from './cookie.ts';
import { validateSessionToken, type SessionUser } from './session.ts';

export type Authenticated = {
	user: SessionUser | null;
	sessionId: string | null;
	tokenTeamId: string | null;
};

/**
 * Who sent a request: a personal access token (Bearer) or a session cookie. Loaded by the request
 * hook only when one of them is present, so anonymous requests (health probes, the first request
 * after a start) never load the database code.
 */
export async function authenticate(args: {
	bearer: string | undefined;
	cookieToken: string | undefined;
	cookies: Cookies;
	url: URL;
}): Promise<Authenticated> {
	const none = { user: null, sessionId: null, tokenTeamId: null };
	if (args.bearer) {
		const result = await validateApiToken({ db: getRuntime().db, token: args.bearer.trim() });
		return result ? { user: result.user, sessionId: null, tokenTeamId: result.teamId } : none;
	}
	if (!args.cookieToken) return none;
	const result = await validateSessionToken({
		db: getRuntime().db,
		token: args.cookieToken,
		ttlDays: config().SESSION_TTL_DAYS
	});
	if (!result) {
		// Unknown or expired: a clean logout rather than an error.
		deleteSessionCookie(args.cookies, args.url);
		return none;
	}
	if (result.renewed) {
		setSessionCookie(args.cookies, args.url, args.cookieToken, result.session.expiresAt);
	}
	return { user: result.user, sessionId: result.session.id, tokenTeamId: null };
}
