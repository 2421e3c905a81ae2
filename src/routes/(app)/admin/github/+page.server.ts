import { fail } from '@sveltejs/kit';
import { setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { startRoundTrip } from '$lib/server/auth/oauth-state';
import { AppError } from '$lib/server/errors';
import { githubAppSummary, normalizeWebUrl, removeGithubApp } from '$lib/server/github/app';
import { buildManifest, defaultAppName, manifestPostUrl } from '$lib/server/github/manifest';
import { takeFlash } from '$lib/server/http/flash';
import { isReachableFromOutside } from '$lib/server/http/public-origin';
import { getRuntime } from '$lib/server/runtime';
import { requireAdmin } from '../require-admin';
import { MANIFEST_ROUND_TRIP, type ManifestTrip } from './round-trip';
import { createAppSchema, removeAppSchema } from './schema';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, cookies }) => {
	requireAdmin(locals, url);
	const app = await githubAppSummary(getRuntime().db);
	return {
		app: app && {
			...app,
			installUrl: `${app.webUrl}/apps/${encodeURIComponent(app.slug)}/installations/new`
		},
		webhookUrl: `${url.origin}/api/webhooks/github`,
		/** github.com cannot deliver webhooks to localhost or a private address. */
		unreachableOrigin: isReachableFromOutside(url.hostname) ? null : url.origin,
		flash: takeFlash(cookies, url),
		form: await superValidate(
			{ webUrl: 'https://github.com', organization: '', name: defaultAppName(url.origin) },
			zod4(createAppSchema),
			{ errors: false }
		)
	};
};

export const actions: Actions = {
	/** Hands the browser a form that posts the manifest to GitHub (it submits itself). */
	create: async ({ locals, url, cookies, request }) => {
		const { user } = requireAdmin(locals, url);
		const form = await superValidate(request, zod4(createAppSchema));
		if (!form.valid) return fail(400, { form });
		let action: string;
		let webUrl: string;
		try {
			webUrl = normalizeWebUrl(form.data.webUrl);
			action = manifestPostUrl({
				webUrl,
				organization: form.data.organization,
				state: 'pending'
			});
		} catch (error) {
			if (!(error instanceof AppError)) throw error;
			return setError(form, (error.field as 'webUrl') ?? '', error.message);
		}
		const state = startRoundTrip<ManifestTrip>({
			cookies,
			url,
			keyring: getRuntime().keyring,
			name: MANIFEST_ROUND_TRIP,
			data: { webUrl, userId: user.id }
		});
		action = manifestPostUrl({ webUrl, organization: form.data.organization, state });
		const manifest = buildManifest({ origin: url.origin, name: form.data.name });
		return { form, post: { action, manifest: JSON.stringify(manifest), webUrl } };
	},

	remove: async ({ locals, url, request }) => {
		requireAdmin(locals, url);
		const parsed = removeAppSchema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) {
			return fail(400, { removed: { ok: false, text: 'Confirm that the App should be removed.' } });
		}
		const removed = await removeGithubApp(getRuntime().db);
		return {
			removed: removed
				? {
						ok: true,
						text: 'The GitHub App was removed from Slipway. Delete it on GitHub too if you no longer need it.'
					}
				: { ok: true, text: 'There was no GitHub App to remove.' }
		};
	}
};
