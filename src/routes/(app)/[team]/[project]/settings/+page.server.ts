import { fail } from '@sveltejs/kit';
import type { z } from 'zod';
import { message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { formFailure } from '../../../../form-failure';
import { domainError, pageCaller } from '../../../caller';
import { buildSchema, generalSchema } from './schemas';
import type { Actions, PageServerLoad } from './$types';

type Preset = z.infer<typeof buildSchema>['preset'];

export const load: PageServerLoad = async (event) => {
	const { project } = await event.parent();
	const input = { teamSlug: event.params.team, projectSlug: event.params.project };
	const [general, build, envVars] = await Promise.all([
		superValidate(project, zod4(generalSchema), { id: 'general' }),
		superValidate({ ...project, preset: project.preset as Preset }, zod4(buildSchema), {
			id: 'build'
		}),
		pageCaller(event).envVars.list(input)
	]);
	return { general, build, envVars };
};

async function save(
	event: Parameters<Actions[string]>[0],
	schema: typeof generalSchema | typeof buildSchema,
	id: string
) {
	const form = await superValidate(event, zod4(schema as typeof generalSchema), { id });
	if (!form.valid) return fail(400, { form });
	try {
		await pageCaller(event).projects.update({
			teamSlug: event.params.team!,
			projectSlug: event.params.project!,
			...form.data
		});
	} catch (error) {
		return formFailure(form, domainError(error));
	}
	return message(form, 'Saved. Changes apply to the next deployment.');
}

export const actions: Actions = {
	general: (event) => save(event, generalSchema, 'general'),
	build: (event) => save(event, buildSchema, 'build')
};
