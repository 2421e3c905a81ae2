import { error } from '@sveltejs/kit';
import { AppError } from '$lib/server/errors';
import { getRuntime } from '$lib/server/runtime';
import { authorizeTeam } from '$lib/server/teams/access';
import { requireUser } from '../require-user';
import type { LayoutServerLoad } from './$types';

/**
 * Every page under /<team> goes through this gate. A team that does not exist and a team the
 * user is not a member of answer the same 404, so slugs of other teams leak nothing.
 */
export const load: LayoutServerLoad = async ({ locals, params, url }) => {
	const { user } = requireUser(locals, url);
	try {
		const { team, role } = await authorizeTeam({
			db: getRuntime().db,
			actor: { userId: user.id, tokenTeamId: null },
			team: { slug: params.team },
			minRole: 'viewer'
		});
		return { team: { slug: team.slug, name: team.name }, role };
	} catch (e) {
		if (e instanceof AppError && e.code === 'NOT_FOUND') error(404, 'Team not found');
		throw e;
	}
};
