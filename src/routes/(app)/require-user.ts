import { redirect } from '@sveltejs/kit';

/**
 * The signed-in user of a browser session, or a redirect to the login page that comes back here.
 * Pages want a cookie session: an API token (`sessionId` null) does not open the web UI.
 */
export function requireUser(locals: App.Locals, url: URL) {
	if (!locals.user || !locals.sessionId) {
		const back = url.pathname + url.search;
		redirect(303, `/login?redirectTo=${encodeURIComponent(back)}`);
	}
	return { user: locals.user, sessionId: locals.sessionId };
}
