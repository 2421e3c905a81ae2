import { z } from 'zod';
import { AppError } from '$lib/server/errors';
import { appErrorResponse } from '$lib/server/http/app-error-response';
import { findDeploymentTeam, streamDeploymentLogText } from '$lib/server/logs/export';
import { getRuntime } from '$lib/server/runtime';
import { authorizeTeamResource } from '$lib/server/teams/access';
import type { RequestHandler } from './$types';

/**
 * GET /api/logs/<deployment id>.txt: the deployment's whole log as plain text (timestamps and
 * streams, no terminal escapes), for a browser session or an API token of its team.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	try {
		if (!locals.user) throw new AppError('UNAUTHORIZED', 'Log in, or send a valid API token.');
		const id = z.uuid().safeParse(params.deployment);
		if (!id.success) throw new AppError('NOT_FOUND', 'Deployment not found.');
		const db = getRuntime().db;
		const deployment = await authorizeTeamResource({
			db,
			actor: { userId: locals.user.id, tokenTeamId: locals.tokenTeamId },
			minRole: 'viewer',
			what: 'Deployment',
			load: () => findDeploymentTeam(db, id.data)
		});
		const name = `${deployment.projectSlug}-${deployment.id.slice(0, 8)}.log.txt`;
		return new Response(streamDeploymentLogText({ db, deploymentId: deployment.id }), {
			headers: {
				'content-type': 'text/plain; charset=utf-8',
				'content-disposition': `attachment; filename="${name}"`,
				'cache-control': 'private, no-store',
				'x-content-type-options': 'nosniff'
			}
		});
	} catch (error) {
		return appErrorResponse(error);
	}
};
