import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { getRuntime } from '$lib/server/runtime';
import { appRouter } from '$lib/server/trpc/router';
import { eventClientAddress } from '$lib/server/http/client-address';
import { isCrossSiteMutation } from '$lib/server/http/origin';
import type { RequestHandler } from './$types';

const handler: RequestHandler = async (event) => {
	if (isCrossSiteMutation(event.request, event.url, event.locals.sessionId !== null)) {
		return new Response(
			JSON.stringify({ error: 'Cross-site request refused: this origin may not change data.' }),
			{ status: 403, headers: { 'content-type': 'application/json' } }
		);
	}
	return fetchRequestHandler({
		endpoint: '/api/trpc',
		req: event.request,
		router: appRouter,
		createContext: () => ({
			db: getRuntime().db,
			keyring: getRuntime().keyring,
			config: getRuntime().config,
			user: event.locals.user,
			sessionId: event.locals.sessionId,
			tokenTeamId: event.locals.tokenTeamId,
			ip: eventClientAddress(event, getRuntime().config.SLIPWAY_TRUSTED_PROXIES),
			userAgent: event.request.headers.get('user-agent') ?? '',
			redis: getRuntime().redis
		})
	});
};

export const GET = handler;
export const POST = handler;
