import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$lib/server/auth/cookie';
import { config } from '$lib/server/config';
import { exceedsBodyLimit } from '$lib/server/http/body-limit';
import { isCrossSiteFormPost } from '$lib/server/http/origin';
import { logger } from '$lib/server/log';
import { NOT_FOUND_PATH } from '$lib/server/proxy/caddy-config';

export const init: ServerInit = async () => {
	try {
		config();
	} catch (error) {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	}
	// adapter-node finishes in-flight requests on SIGTERM, then emits this; close our pools.
	process.once('sveltekit:shutdown' as never, () => {
		void import('$lib/server/runtime').then((m) => m.closeRuntime());
	});
};

/** Probes hit these every few seconds; logging them would drown the rest. */
const quietPaths = new Set(['/healthz', '/readyz']);

export const handle: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const unknownHost = event.url.pathname === NOT_FOUND_PATH;
	if (unknownHost && event.request.method !== 'GET' && event.request.method !== 'HEAD') {
		// Caddy sends every request to a host nobody serves here, whatever its method.
		return new Response('No deployment serves this hostname.\n', {
			status: 404,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	if (exceedsBodyLimit(event.request, event.url)) {
		return new Response('Payload too large\n', {
			status: 413,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	if (isCrossSiteFormPost(event.request, event.url)) {
		return new Response('Cross-site POST form submissions are forbidden', { status: 403 });
	}
	event.locals.user = null;
	event.locals.sessionId = null;
	event.locals.tokenTeamId = null;

	const bearer = event.request.headers.get('authorization')?.match(/^Bearer (.+)$/i)?.[1];
	const cookieToken = event.cookies.get(SESSION_COOKIE);
	if (bearer || cookieToken) {
		const { authenticate } = await import('$lib/server/auth/authenticate');
		const who = await authenticate({ bearer, cookieToken, cookies: event.cookies, url: event.url });
		event.locals.user = who.user;
		event.locals.sessionId = who.sessionId;
		event.locals.tokenTeamId = who.tokenTeamId;
	}

	let response = await resolve(event);
	if (unknownHost && response.status === 200) {
		// A page cannot choose its status; "deployment not found" must say 404 to clients and bots.
		response = new Response(response.body, { status: 404, headers: response.headers });
	}
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
	response.headers.set('x-frame-options', 'DENY');
	if (!quietPaths.has(event.url.pathname)) {
		logger().info(
			{
				method: event.request.method,
				path: event.url.pathname,
				status: response.status,
				ms: Math.round(performance.now() - started),
				user: event.locals.user?.id
			},
			'request'
		);
	}
	return response;
};

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status !== 404) {
		logger().error({ err: error, path: event.url.pathname }, 'unhandled error');
	}
	return { message: status === 404 ? 'Not found' : 'Something went wrong on our side.' };
};
