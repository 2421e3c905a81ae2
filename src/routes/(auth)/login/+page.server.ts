import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { loginSchema } from '$lib/schemas/account';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { logInWithPassword } from '$lib/server/auth/flows';
import { config } from '$lib/server/config';
import { eventClientAddress } from '$lib/server/http/client-address';
import { githubAppSummary } from '$lib/server/github/app';
import { takeFlash } from '$lib/server/http/flash';
import { getRuntime } from '$lib/server/runtime';
import { formFailure } from '../../form-failure';
import { redirectTarget } from '../redirect-target';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies, url }) => ({
	form: await superValidate(zod4(loginSchema)),
	github: Boolean(await githubAppSummary(getRuntime().db)),
	flash: takeFlash(cookies, url)
});

export const actions: Actions = {
	default: async (event) => {
		const form = await superValidate(event, zod4(loginSchema));
		// The password never travels back to the browser, valid or not.
		const password = form.data.password;
		form.data.password = '';
		if (!form.valid) return fail(400, { form });
		let result;
		try {
			result = await logInWithPassword({
				db: getRuntime().db,
				config: config(),
				email: form.data.email,
				password,
				ip: eventClientAddress(event, config().SLIPWAY_TRUSTED_PROXIES),
				userAgent: event.request.headers.get('user-agent') ?? ''
			});
		} catch (error) {
			return formFailure(form, error);
		}
		setSessionCookie(event.cookies, event.url, result.token, result.session.expiresAt);
		redirect(303, redirectTarget(event.url.searchParams.get('redirectTo')));
	}
};
