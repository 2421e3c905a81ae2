import { getRuntime } from '$lib/server/runtime';
import { listTeamsForUser } from '$lib/server/teams/teams';
import { requireUser } from './require-user';
import type { LayoutServerLoad } from './$types';

/** Who is signed in and which teams they can switch to; every page of the shell needs both. */
export const load: LayoutServerLoad = async ({ locals, url }) => {
	const { user } = requireUser(locals, url);
	const teams = await listTeamsForUser({ db: getRuntime().db, userId: user.id });
	return {
		user: { name: user.name, email: user.email, isInstanceAdmin: user.isInstanceAdmin },
		teams: teams.map(({ slug, name, role, personal }) => ({ slug, name, role, personal }))
	};
};
