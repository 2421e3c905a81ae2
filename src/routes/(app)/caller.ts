import { error, type RequestEvent } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { AppError } from '$lib/server/errors';
import { eventClientAddress } from '$lib/server/http/client-address';
import { getRuntime } from '$lib/server/runtime';
import { createCaller } from '$lib/server/trpc/router';
import { requireUser } from './require-user';

/**
 * The tRPC API called in-process for a page's load or action, as the signed-in user: pages get
 * exactly the authorization and answers the API gives, with no HTTP round trip.
 */
export function pageCaller(
	event: Pick<RequestEvent, 'locals' | 'url' | 'request'> & Partial<RequestEvent>
) {
	const { user, sessionId } = requireUser(event.locals, event.url);
	const runtime = getRuntime();
	return createCaller({
		db: runtime.db,
		keyring: runtime.keyring,
		config: runtime.config,
		user,
		sessionId,
		tokenTeamId: null,
		ip: event.getClientAddress
			? eventClientAddress(event as RequestEvent, runtime.config.SLIPWAY_TRUSTED_PROXIES)
			: '',
		userAgent: event.request.headers.get('user-agent') ?? ''
	});
}

/** A load's "not found" (any other team's project reads the same) becomes the 404 page. */
export async function orNotFound<T>(promise: Promise<T>, what: string): Promise<T> {
	try {
		return await promise;
	} catch (e) {
		if (e instanceof TRPCError && e.code === 'NOT_FOUND') error(404, `${what} not found`);
		throw e;
	}
}

/** The domain error behind a failed call, so `formFailure` can put it beside its field. */
export function domainError(e: unknown): unknown {
	return e instanceof TRPCError && e.cause instanceof AppError ? e.cause : e;
}
