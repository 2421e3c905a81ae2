import { redirect } from '@sveltejs/kit';
import { deleteSessionCookie } from '$lib/server/auth/cookie';
import { invalidateSession } from '$lib/server/auth/session';
import { getRuntime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// Logging out changes state, so it is a POST (a prefetched or crawled GET must not log anyone out).
export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ locals, cookies, url }) => {
		if (locals.sessionId) {
			await invalidateSession({ db: getRuntime().db, sessionId: locals.sessionId });
		}
		deleteSessionCookie(cookies, url);
		redirect(303, '/login');
	}
};
