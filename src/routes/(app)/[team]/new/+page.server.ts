import { fail, redirect } from '@sveltejs/kit';
import {
	message,
	setError,
	superValidate,
	type Infer,
	type SuperValidated
} from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { paths } from '$lib/paths';
import type { DetectedPreset } from '$lib/server/projects/presets/types';
import { formFailure } from '../../../form-failure';
import { domainError, pageCaller } from '../../caller';
import { newProjectSchema, type Detection } from './schema';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { role } = await event.parent();
	const wanted = Number(event.url.searchParams.get('installation'));
	return {
		form: await superValidate(zod4(newProjectSchema), { errors: false }),
		// The GitHub picker: only admins create projects, so only they list installations.
		github:
			role === 'admin' || role === 'owner'
				? await pageCaller(event).github.installations({ teamSlug: event.params.team })
				: null,
		selectedInstallation: Number.isSafeInteger(wanted) && wanted > 0 ? wanted : null,
		installRequested: event.url.searchParams.get('github') === 'requested',
		isInstanceAdmin: event.locals.user?.isInstanceAdmin ?? false
	};
};

/**
 * Step 2 pre-filled from what detection found (a name, port and health check path the user
 * already typed are kept), and what was found as the form's message.
 */
function prefill(
	form: SuperValidated<Infer<typeof newProjectSchema>>,
	found: { branch?: string; defaultBranch: string | null; detected: DetectedPreset | null },
	name: string,
	shown: Pick<Detection, 'repository' | 'needsDeployKey' | 'github'>
) {
	const d = found.detected;
	form.data = {
		...form.data,
		name: form.data.name || name,
		productionBranch: found.branch ?? found.defaultBranch ?? form.data.productionBranch ?? 'main',
		preset: d?.preset ?? null,
		installCommand: d?.installCommand ?? null,
		buildCommand: d?.buildCommand ?? null,
		startCommand: d?.startCommand ?? null,
		port: form.data.port ?? 8000,
		healthCheckPath: form.data.healthCheckPath || '/'
	};
	return message(form, {
		...shown,
		defaultBranch: found.defaultBranch,
		presetLabel: d?.label ?? null,
		reasons: d?.reasons ?? []
	} satisfies Detection);
}

export const actions: Actions = {
	/** Step 1: look at the repository and pre-fill the settings from what it contains. */
	detect: async (event) => {
		const form = await superValidate(event, zod4(newProjectSchema));
		if (form.errors.repoUrl) return fail(400, { form });
		form.errors = {};
		form.valid = true;
		form.data = { ...form.data, installationId: null, repoId: null, githubRepo: '' };
		if (!form.data.repoUrl) return setError(form, 'repoUrl', 'Enter the repository URL.');
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
		return prefill(form, found, found.source.displayName, {
			repository: found.source.displayName,
			needsDeployKey: found.needsDeployKey
		});
	},

	/** Step 1 for a repository picked from a GitHub installation: cloned with its token. */
	detectGithub: async (event) => {
		const form = await superValidate(event, zod4(newProjectSchema));
		form.errors = {};
		form.valid = true;
		const { installationId, repoId } = form.data;
		if (!installationId || !repoId) {
			return setError(form, '', 'Pick a repository from the list first.');
		}
		let found;
		try {
			found = await pageCaller(event).github.detectRepository({
				teamSlug: event.params.team,
				installationId,
				repoId,
				rootDirectory: form.data.rootDirectory ?? ''
			});
		} catch (error) {
			return formFailure(form, domainError(error));
		}
		const fullName = found.source.displayName;
		form.data = { ...form.data, repoUrl: '', githubRepo: fullName };
		return prefill(form, found, fullName.split('/').pop() || fullName, {
			repository: fullName,
			needsDeployKey: false,
			github: true
		});
	},

	/** Step 2: create the project, start its first deployment and open that deployment. */
	create: async (event) => {
		const form = await superValidate(event, zod4(newProjectSchema));
		if (!form.valid) return fail(400, { form });
		const caller = pageCaller(event);
		const teamSlug = event.params.team;
		const { installationId, repoId, githubRepo: _shown, repoUrl, ...settings } = form.data;
		let project;
		try {
			project =
				installationId && repoId
					? await caller.github.importRepository({ teamSlug, ...settings, installationId, repoId })
					: await caller.projects.create({ teamSlug, ...settings, repoUrl });
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
