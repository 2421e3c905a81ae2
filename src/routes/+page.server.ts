import { redirect } from '@sveltejs/kit';
import { listTeamsForUser } from '$lib/server/teams/teams';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/** The root sends a signed-in user to their first team, everyone else to the login page. */
export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) redirect(303, '/login');
	const teams = await listTeamsForUser({ db: getRuntime().db, userId: locals.user.id });
	const home = teams.find((t) => t.personal) ?? teams[0];
	if (!home) redirect(303, '/account');
	redirect(303, `/${home.slug}`);
};
