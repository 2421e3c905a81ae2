import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { teamNameSchema } from '$lib/schemas/account';
import { getRuntime } from '$lib/server/runtime';
import { createTeam } from '$lib/server/teams/teams';
import { formFailure } from '../../../form-failure';
import { requireUser } from '../../require-user';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({
	form: await superValidate(zod4(teamNameSchema))
});

export const actions: Actions = {
	default: async (event) => {
		const { user } = requireUser(event.locals, event.url);
		const form = await superValidate(event, zod4(teamNameSchema));
		if (!form.valid) return fail(400, { form });
		let team;
		try {
			team = await createTeam({ db: getRuntime().db, userId: user.id, name: form.data.name });
		} catch (error) {
			return formFailure(form, error);
		}
		redirect(303, `/${team.slug}`);
	}
};
