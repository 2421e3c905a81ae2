import { error, redirect } from '@sveltejs/kit';
import { AppError } from '$lib/server/errors';
import { loadGithubApp } from '$lib/server/github/app';
import {
	INSTALL_COOKIE,
	INSTALL_COOKIE_MAX_AGE,
	startInstall
} from '$lib/server/github/installations';
import { getRuntime } from '$lib/server/runtime';
import { authorizeTeam } from '$lib/server/teams/access';
import { requireUser } from '../../../(app)/require-user';
import type { RequestHandler } from './$types';

/**
 * GET /api/github/install?team=<slug>: "Install / add account". Remembers a random `state`
 * bound to this team and user in an HttpOnly cookie, then sends the browser to GitHub's install
 * page; GitHub comes back to /api/github/setup with that state.
 */
export const GET: RequestHandler = async ({ url, cookies, locals }) => {
	const { user } = requireUser(locals, url);
	const { db, keyring } = getRuntime();
	const slug = url.searchParams.get('team') ?? '';
	let teamId: string;
	try {
		teamId = (
			await authorizeTeam({
				db,
				actor: { userId: user.id, tokenTeamId: null },
				team: { slug },
				minRole: 'admin'
			})
		).team.id;
	} catch (e) {
		if (e instanceof AppError) error(e.code === 'FORBIDDEN' ? 403 : 404, e.message);
		throw e;
	}
	const app = await loadGithubApp(db, keyring);
	if (!app) {
		error(
			503,
			'GitHub is not connected to this instance yet: an instance admin connects it under Admin → GitHub.'
		);
	}
	const install = startInstall(app, { teamId, userId: user.id });
	cookies.set(INSTALL_COOKIE, install.cookie, {
		path: '/api/github/setup',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: INSTALL_COOKIE_MAX_AGE
	});
	redirect(303, install.url);
};
