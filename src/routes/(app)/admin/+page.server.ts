import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** GitHub is the only admin page so far. */
export const load: PageServerLoad = async ({ parent }) => {
	await parent();
	redirect(303, '/admin/github');
};
