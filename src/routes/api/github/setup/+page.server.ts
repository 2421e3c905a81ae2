import { error, redirect } from '@sveltejs/kit';
import { AppError, httpStatusOf } from '$lib/server/errors';
import { loadGithubApp } from '$lib/server/github/app';
import {
	checkInstallState,
	INSTALL_COOKIE,
	linkInstallation
} from '$lib/server/github/installations';
import { logger } from '$lib/server/log';
import { getRuntime } from '$lib/server/runtime';
import { authorizeTeam } from '$lib/server/teams/access';
import { requireUser } from '../../../(app)/require-user';
import type { PageServerLoad } from './$types';

const START_AGAIN = 'Start again from the new-project page: Import from GitHub → Install.';

/**
 * GET /api/github/setup: where GitHub sends the browser after the App was installed (the App's
 * setup URL). Links the installation to the team named by the install cookie only after GitHub
 * confirmed, with the user's own OAuth code, that this user can access that installation.
 */
export const load: PageServerLoad = async ({ url, cookies, locals }) => {
	const { user } = requireUser(locals, url);
	const { db, keyring } = getRuntime();
	const state = url.searchParams.get('state');
	if (!state) {
		// Never link on an id alone: without the state the request may come from another site.
		error(
			400,
			`GitHub came back without the state of the install link, so this installation cannot be matched to your request. ${START_AGAIN}`
		);
	}
	const bound = checkInstallState(cookies.get(INSTALL_COOKIE), state);
	if (!bound) {
		error(
			400,
			`This installation could not be matched to an install link opened in this browser (or the link expired). ${START_AGAIN}`
		);
	}
	if (bound.userId !== user.id) {
		error(403, `This installation was started by another Slipway account. ${START_AGAIN}`);
	}
	cookies.delete(INSTALL_COOKIE, { path: '/api/github/setup', secure: url.protocol === 'https:' });
	let team;
	try {
		team = (
			await authorizeTeam({
				db,
				actor: { userId: user.id, tokenTeamId: null },
				team: { id: bound.teamId },
				minRole: 'admin'
			})
		).team;
	} catch (e) {
		if (e instanceof AppError) error(httpStatusOf[e.code], e.message);
		throw e;
	}
	const back = `/${team.slug}/new`;
	const action = url.searchParams.get('setup_action');
	const rawId = url.searchParams.get('installation_id');
	if (action === 'request' || !rawId) {
		// An organization owner must approve the request on GitHub first; nothing to link yet.
		redirect(303, `${back}?github=requested`);
	}
	const installationId = Number(rawId);
	if (!Number.isSafeInteger(installationId) || installationId <= 0) {
		error(400, `GitHub sent an installation id that is not a number. ${START_AGAIN}`);
	}
	if (action === 'update') redirect(303, `${back}?installation=${installationId}`);
	const code = url.searchParams.get('code');
	if (!code) {
		error(
			400,
			`GitHub did not send the sign-in code that proves you can access this installation. ${START_AGAIN}`
		);
	}
	const app = await loadGithubApp(db, keyring);
	if (!app) {
		error(
			503,
			'GitHub is not connected to this instance: an instance admin connects it under Admin → GitHub.'
		);
	}
	try {
		await linkInstallation(db, app, { teamId: team.id, userId: user.id, installationId, code });
	} catch (e) {
		if (e instanceof AppError) {
			logger().warn(
				{ user: user.id, team: team.id, installationId, code: e.code },
				'GitHub installation not linked'
			);
			error(httpStatusOf[e.code], e.message);
		}
		throw e;
	}
	redirect(303, `${back}?installation=${installationId}`);
};
