import { json } from '@sveltejs/kit';
import { receiveGithubWebhook } from '$lib/server/github/webhooks/receive';
import { appErrorResponse } from '$lib/server/http/app-error-response';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * POST /api/webhooks/github: deliveries of the instance's GitHub App. The HMAC signature is the
 * credential (no session, no origin check: GitHub posts JSON from its own servers).
 */
export const POST: RequestHandler = async ({ request }) => {
	const { db, keyring } = getRuntime();
	try {
		const { status, message } = await receiveGithubWebhook({ db, keyring }, request);
		return json({ message }, { status });
	} catch (error) {
		return appErrorResponse(error);
	}
};
