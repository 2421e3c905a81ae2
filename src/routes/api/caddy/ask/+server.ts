import { isLoopback, isTrustedPeer } from '$lib/server/http/client-address';
import { isServedHost } from '$lib/server/proxy/route-table';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

const answer = (status: number, text: string) =>
	new Response(text, {
		status,
		headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' }
	});

/**
 * Caddy's on-demand TLS asks here before it obtains a certificate for a hostname it has never
 * seen: 200 when Slipway serves that host (the dashboard or a host of the route table), 404
 * otherwise, so nobody can make Caddy request certificates for names we do not serve.
 *
 * Only Caddy may ask: the socket peer must be loopback or a trusted proxy, and the request must
 * not have been relayed by Caddy's reverse proxy (which adds X-Forwarded-For; Caddy's own ask
 * does not), so the endpoint is not reachable from the internet through the dashboard's host.
 */
export const GET: RequestHandler = async (event) => {
	const { config, db } = getRuntime();
	const peer = event.getClientAddress();
	const fromCaddy = isLoopback(peer) || isTrustedPeer(peer, config.SLIPWAY_TRUSTED_PROXIES);
	if (!fromCaddy || event.request.headers.has('x-forwarded-for')) {
		return answer(403, 'forbidden');
	}
	const domain = event.url.searchParams.get('domain')?.trim().toLowerCase().replace(/\.$/, '');
	if (!domain || domain.length > 253 || !HOSTNAME.test(domain)) {
		return answer(400, 'domain must be a hostname');
	}
	return (await isServedHost(db, config, domain)) ? answer(200, 'ok') : answer(404, 'not served');
};
