import { error, redirect } from '@sveltejs/kit';
import { finishRoundTrip } from '$lib/server/auth/oauth-state';
import { AppError } from '$lib/server/errors';
import { registerGithubApp } from '$lib/server/github/manifest';
import { setFlash } from '$lib/server/http/flash';
import { logger } from '$lib/server/log';
import { getRuntime } from '$lib/server/runtime';
import { requireAdmin } from '../../require-admin';
import { MANIFEST_ROUND_TRIP, type ManifestTrip } from '../round-trip';
import type { RequestHandler } from './$types';

/** GitHub created the App and sends the admin back with a code to exchange for its credentials. */
export const GET: RequestHandler = async ({ url, cookies, locals }) => {
	const { user } = requireAdmin(locals, url);
	const { db, keyring } = getRuntime();
	const trip = finishRoundTrip<ManifestTrip>({
		cookies,
		url,
		keyring,
		name: MANIFEST_ROUND_TRIP,
		state: url.searchParams.get('state')
	});
	const code = url.searchParams.get('code');
	if (!trip || trip.userId !== user.id || !code) {
		setFlash(cookies, url, {
			tone: 'error',
			text: 'This answer from GitHub does not match an App creation started here (it expired, or came from another browser). Nothing was saved: start again.'
		});
		redirect(303, '/admin/github');
	}
	try {
		const app = await registerGithubApp({
			db,
			keyring,
			webUrl: trip.webUrl,
			code,
			createdBy: user.id
		});
		setFlash(cookies, url, {
			tone: 'success',
			text: `GitHub App ${app.name} created. Install it on the accounts whose repositories you deploy.`
		});
	} catch (e) {
		if (!(e instanceof AppError)) {
			logger().error({ err: e }, 'GitHub App manifest conversion failed');
			error(500, 'Creating the GitHub App failed on our side');
		}
		if (e.code === 'UNAVAILABLE') logger().warn({ err: e.cause }, 'GitHub App manifest conversion');
		setFlash(cookies, url, { tone: 'error', text: e.message });
	}
	redirect(303, '/admin/github');
};
