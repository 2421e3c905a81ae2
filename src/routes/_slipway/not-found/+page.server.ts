import { config } from '$lib/server/config';
import { publicUrl } from '$lib/server/deployments/urls';
import { requestedHost } from '$lib/server/http/client-address';
import type { PageServerLoad } from './$types';

// Served on hosts Slipway does not know (Caddy's catch-all rewrites every path of an unknown
// host here), so nothing may depend on JavaScript: `/_app/…` of such a host is not ours to
// assume. hooks.server.ts turns the status into 404.
export const csr = false;

/**
 * "Deployment not found": the host asked for, and a link into the dashboard. The session cookie
 * is host-only on APP_HOSTNAME and never reaches app hosts (apps are untrusted code), so this
 * page cannot know who is looking; the dashboard's /not-found page can.
 */
export const load: PageServerLoad = async (event) => {
	const cfg = config();
	const host = requestedHost({
		peer: event.getClientAddress(),
		headers: event.request.headers,
		trustedProxies: cfg.SLIPWAY_TRUSTED_PROXIES
	});
	const dashboard = (cfg.ORIGIN ?? publicUrl(cfg, cfg.APP_HOSTNAME)).replace(/\/+$/, '');
	return {
		host,
		dashboard,
		find: `${dashboard}/not-found?host=${encodeURIComponent(host)}`
	};
};
