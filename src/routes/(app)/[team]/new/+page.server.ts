import { fail, redirect } from '@sveltejs/kit';
import { message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { paths } from '$lib/paths';
import { formFailure } from '../../../form-failure';
import { domainError, pageCaller } from '../../caller';
import { newProjectSchema, type Detection } from './schema';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({
	form: await superValidate(zod4(newProjectSchema), { errors: false })
});

export const actions: Actions = {
	/** Step 1: look at the repository and pre-fill the settings from what it contains. */
	detect: async (event) => {
		const form = await superValidate(event, zod4(newProjectSchema));
		if (form.errors.repoUrl) return fail(400, { form });
		form.errors = {};
		form.valid = true;
		let found;
		try {
			found = await pageCaller(event).projects.detect({
				teamSlug: event.params.team,
				repoUrl: form.data.repoUrl,
				rootDirectory: form.data.rootDirectory ?? ''
			});
		} catch (error) {
			return formFailure(form, domainError(error));
		}
		const d = found.detected;
		form.data = {
			...form.data,
			name: form.data.name || found.source.displayName,
			productionBranch: found.branch ?? found.defaultBranch ?? form.data.productionBranch ?? 'main',
			preset: d?.preset ?? null,
			installCommand: d?.installCommand ?? null,
			buildCommand: d?.buildCommand ?? null,
			startCommand: d?.startCommand ?? null,
			port: form.data.port ?? 8000,
			healthCheckPath: form.data.healthCheckPath || '/'
		};
		return message(form, {
			repository: found.source.displayName,
			needsDeployKey: found.needsDeployKey,
			defaultBranch: found.defaultBranch,
			presetLabel: d?.label ?? null,
			reasons: d?.reasons ?? []
		} satisfies Detection);
	},

	/** Step 2: create the project, start its first deployment and open that deployment. */
	create: async (event) => {
		const form = await superValidate(event, zod4(newProjectSchema));
		if (!form.valid) return fail(400, { form });
		const caller = pageCaller(event);
		const teamSlug = event.params.team;
		let project;
		try {
			project = await caller.projects.create({ teamSlug, ...form.data });
		} catch (error) {
			return formFailure(form, domainError(error));
		}
		// An SSH repository needs its deploy key added on the Git host before anything can build.
		if (project.sourceKind === 'ssh') {
			redirect(303, `${paths.settings(teamSlug, project.slug)}?created=1`);
		}
		let deploymentId: string | null = null;
		try {
			deploymentId = (await caller.deployments.create({ teamSlug, projectSlug: project.slug })).id;
		} catch {
			// The project exists; its overview offers the Deploy button to try again.
		}
		redirect(
			303,
			deploymentId
				? paths.deployment(teamSlug, project.slug, deploymentId)
				: paths.project(teamSlug, project.slug)
		);
	}
};
