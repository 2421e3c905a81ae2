import { json } from '@sveltejs/kit';
import { triggerDeployHook } from '$lib/server/deployments/hooks';
import { appErrorResponse } from '$lib/server/http/app-error-response';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** POST /api/hooks/deploy/<token>[?branch=name]: any Git host or CI can trigger a deploy. */
export const POST: RequestHandler = async ({ params, url }) => {
	const { db, keyring } = getRuntime();
	try {
		const deployment = await triggerDeployHook(
			{ db, keyring },
			{ token: params.token, branch: url.searchParams.get('branch') }
		);
		return json(
			{ id: deployment.id, state: deployment.state, branch: deployment.branch },
			{ status: 202 }
		);
	} catch (error) {
		return appErrorResponse(error);
	}
};
