import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

/** Someone already signed in has nothing to do on the login or sign-up page. */
export const load: LayoutServerLoad = ({ locals }) => {
	if (locals.user && locals.sessionId) redirect(303, '/');
};
